"""Every file with personal data the product writes is 0600, and a bad target is one sentence.

Real SQLite casebooks, the real CLI (in process, and as a separate process where a
traceback could hide), real PDFs. A read-only folder is made real by running the CLI as
the unprivileged user nobody (when the tests run as root), and is also simulated at
``os.open`` so the check runs everywhere.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import snt_youth
from snt_youth import keys
from snt_youth.cli import cli
from snt_youth.model import MatrixEntry

MATRIX_SHEET = "matrix:who-kept-me-safe"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def make_book(url: str) -> str:
    with snt_youth.open(url, user="test.officer") as book:
        book.add_young_person("YJ-1", dt.date(2010, 1, 1), "north", known_as="Al")
        book.add_young_person("YJ-2", dt.date(2011, 1, 1), "north")
        book.record_session(
            "YJ-1",
            "who-kept-me-safe",
            [MatrixEntry("Mum", "safe", "She took me to the park when it got loud")],
            held_on=dt.date.today(),
        )
    return url


@pytest.fixture
def url(tmp_path: Path) -> str:
    return make_book(f"sqlite:///{tmp_path / 'book.sqlite3'}")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 000: a file that is not made private on purpose would come out 0666."""
    before = os.umask(0)
    yield
    os.umask(before)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def one_error_line(result: Result) -> str:
    """The single ``Error: ...`` line of a failed command (exit 2, no traceback)."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: Cannot ") and "Traceback" not in result.output
    return lines[0]


# -- one sentence, exit 2 -------------------------------------------------------------------
def test_render_into_a_missing_folder_is_one_line_in_a_real_process(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "snt_youth", "worksheet", "render", "safety-plan", "-o", target],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SNT_YOUTH_HOME": str(tmp_path / "home")},
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip().splitlines() == [
        f"Error: Cannot write {target}: the folder {target.parent} does not exist; "
        "choose a folder that exists."
    ]
    assert not target.parent.exists()


def test_render_onto_a_folder_is_one_line(tmp_path: Path) -> None:
    for fmt in ("pdf", "html"):
        line = one_error_line(
            run("worksheet", "render", "safety-plan", "--format", fmt, "-o", str(tmp_path))
        )
        assert (
            line
            == f"Error: Cannot write {tmp_path}: that name is a folder; give a file name instead."
        )


def test_batch_into_a_read_only_folder_is_one_line(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).parent == out and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = run("--db", url, "worksheet", "batch", MATRIX_SHEET, "--team", "north",
                 "--out", str(out), "--workers", "1")  # fmt: skip
    line = one_error_line(result)
    assert line == (
        f"Error: Cannot write in the folder {out}: it is read-only; "
        "choose a folder you can write to."
    )
    assert list(out.iterdir()) == []


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to run the CLI as the unprivileged user nobody",
)
def test_batch_into_a_folder_nobody_may_write_in_for_real(tmp_path: Path) -> None:
    """As nobody, a root-owned 0755 folder really refuses the batch (EACCES)."""
    base = Path("/tmp") / f"snt-batch-{os.getpid()}-{tmp_path.name}"
    base.mkdir(mode=0o755)
    try:
        base.chmod(0o755)
        own = base / "own"  # the database and home belong to nobody
        own.mkdir()
        url = make_book(f"sqlite:///{own / 'book.sqlite3'}")
        for path in [own, *own.iterdir()]:
            os.chown(path, 65534, 65534)
        shared = base / "shared"
        shared.mkdir(mode=0o755)
        shared.chmod(0o755)
        env = {**os.environ, "SNT_YOUTH_HOME": str(own / "home"), "HOME": str(own)}
        # The test key folder is root's; nobody is given the database key outright.
        kept = keys.find(own / "book.sqlite3", None)
        assert kept is not None
        env["SNT_YOUTH_KEY"] = kept.hex
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        for out, doing in (
            (shared, f"write in the folder {shared}"),
            (shared / "batch", f"make the folder {shared / 'batch'}"),
        ):
            done = subprocess.run(
                [*nobody, sys.executable, "-m", "snt_youth", "--db", url, "worksheet", "batch",
                 MATRIX_SHEET, "--team", "north", "--out", str(out), "--workers", "1"],
                capture_output=True, text=True, timeout=120, env=env, cwd=own,
            )  # fmt: skip
            assert done.returncode == 2, done.stderr
            assert "Traceback" not in done.stderr
            assert done.stderr.strip().splitlines() == [
                f"Error: Cannot {doing}: you do not have permission to write in "
                f"{'it' if out == shared else f'the folder {shared}'}; "
                "choose a folder you can write to."
            ]
        assert list(shared.iterdir()) == []
    finally:
        shutil.rmtree(base)


def test_report_and_backup_into_a_missing_folder_are_one_line(url: str, tmp_path: Path) -> None:
    for args in (
        ("report", "quarterly", "--quarter", "2025-26 Q1", "--format", "csv", "-o", str(tmp_path)),
        ("export", "-o", str(tmp_path)),
    ):
        line = one_error_line(run("--db", url, *args))
        assert (
            line
            == f"Error: Cannot write {tmp_path}: that name is a folder; give a file name instead."
        )
    missing = tmp_path / "missing"
    for args in (
        ("report", "quarterly", "--quarter", "2025-26 Q1", "-o", str(missing / "q.csv")),
        ("export", "-o", str(missing / "backup.json")),
    ):
        line = one_error_line(run("--db", url, *args))
        assert f"the folder {missing} does not exist" in line
    assert not missing.exists()


# -- 0600 files, 0700 batch folders -----------------------------------------------------------
@pytest.mark.usefixtures("open_umask")
def test_worksheets_are_0600(url: str, tmp_path: Path) -> None:
    for fmt in ("pdf", "html"):
        out = tmp_path / f"plan.{fmt}"
        result = run("--db", url, "worksheet", "render", MATRIX_SHEET, "--young-person", "YJ-1",
                     "--format", fmt, "-o", str(out))  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "Prefilled from the session" in result.output
        assert mode(out) == 0o600
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert "park when it got loud" in (tmp_path / "plan.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.slow
@pytest.mark.usefixtures("open_umask")
def test_a_batch_folder_is_0700_and_its_pdfs_0600(url: str, tmp_path: Path) -> None:
    out = tmp_path / "batches" / "north"
    result = run("--db", url, "worksheet", "batch", MATRIX_SHEET, "--team", "north",
                 "--out", str(out), "--workers", "2")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "batches") == 0o700 and mode(out) == 0o700
    files = sorted(out.iterdir())
    assert [p.name for p in files] == [
        "facilitator-guide-who-kept-me-safe.pdf",
        "matrix-who-kept-me-safe-YJ-1.pdf",
        "matrix-who-kept-me-safe-YJ-2.pdf",
    ]
    assert all(mode(p) == 0o600 and p.read_bytes().startswith(b"%PDF") for p in files)


@pytest.mark.usefixtures("open_umask")
def test_report_exports_and_backups_are_0600(url: str, tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx", "json", "pdf"):
        out = tmp_path / f"q.{fmt}"
        result = run("--db", url, "report", "quarterly", "--quarter", "2025-26 Q1", "-o", str(out))
        assert result.exit_code == 0, result.output
        assert mode(out) == 0o600, fmt
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF")
    backup = tmp_path / "backup.json"
    result = run("--db", url, "export", "-o", str(backup))
    assert result.exit_code == 0, result.output
    assert mode(backup) == 0o600 and b"YJ-1" not in backup.read_bytes()  # encrypted
    plain = tmp_path / "plain.json"
    result = run("--db", url, "export", "--plain", "-o", str(plain))
    assert result.exit_code == 0, result.output
    assert mode(plain) == 0o600 and '"YJ-1"' in plain.read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.slow
@pytest.mark.usefixtures("open_umask")
def test_the_terminal_app_writes_0600_worksheets_and_exports(url: str, tmp_path: Path) -> None:
    from snt_youth.tui.app import create_app
    from snt_youth.tui.screens.quarter import QuarterScreen
    from snt_youth.tui.screens.worksheets import WorksheetsScreen

    out = tmp_path / "app-out"

    async def drive() -> None:
        with snt_youth.open(url, user="test.officer") as book:
            app = create_app(book, output_dir=out)
            async with app.run_test(size=(120, 40)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                await pilot.press(*"YJ-1", "enter")
                await pilot.pause()
                await pilot.press("w")
                await pilot.pause()
                assert isinstance(app.screen, WorksheetsScreen)
                await pilot.press("enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
                app.pop_screen()
                app.pop_screen()
                await pilot.pause()
                await pilot.press("f7")
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert isinstance(app.screen, QuarterScreen)
                await pilot.press("c", "j")
                await app.workers.wait_for_complete()
                await pilot.pause()

    asyncio.run(drive())
    written = sorted(out.iterdir())
    assert {p.suffix for p in written} == {".pdf", ".csv", ".json"}, written
    assert mode(out) == 0o700
    assert all(mode(p) == 0o600 for p in written)
