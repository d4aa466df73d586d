"""The built wheel carries matrices/ and worksheets/ and works from a fresh venv."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from tests.support.paths import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("snt_youth-*.whl")
    return built


def test_wheel_contains_content_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("matrices", "worksheets"):
        shipped = [n for n in names if n.startswith(f"snt_youth/_content/{folder}/")]
        on_disk = [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.name != ".keep"]
        assert shipped, folder
        assert len(shipped) == len(on_disk), folder
    assert "snt_youth/py.typed" in names
    assert any(n.startswith("snt_youth/store/migrations/versions/") for n in names)
    assert any(n.startswith("snt_youth/data/instruments/") for n in names)


def test_installed_wheel_runs_from_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    # Dependencies come from this test environment's site-packages, added as a plain path
    # (so its editable snt_youth is NOT visible: only the wheel's copy is).
    site = Path(sysconfig.get_paths()["purelib"])
    (next((env_dir / "lib").glob("python*/site-packages")) / "deps.pth").write_text(f"{site}\n")
    env = {**os.environ, "SNT_YOUTH_HOME": str(tmp_path / "home"), "SNT_YOUTH_USER": "wheel"}
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import snt_youth, snt_youth.locations as l; "
            "print(snt_youth.__file__); print(l.matrices_dir()); print(l.worksheets_dir())",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    ).stdout.splitlines()
    assert all(str(env_dir) in line for line in where), where
    assert all("_content" in line for line in where[1:]), where
    cli = env_dir / "bin" / "snt-youth"
    result = subprocess.run(
        [str(cli), "matrix", "list"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "who-kept-me-safe" in result.stdout
    result = subprocess.run(
        [str(cli), "worksheet", "render", "safety-plan", "-o", "plan.pdf"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
