"""The private writer: 0600 whatever the umask, atomic, and one sentence on failure.

Failures of the disk are simulated only at the true boundary (``os.open``, ``os.write``),
or made real by running as an unprivileged user; everything else is a real file system.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from snt_youth.errors import SntError, WriteError
from snt_youth.private_files import ensure_private_folder, open_private, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for one test, and put it back afterwards."""
    before = os.umask(0o022)
    os.umask(before)

    def set_umask(value: int) -> None:
        os.umask(value)

    yield set_umask
    os.umask(before)


def one_sentence(message: str) -> None:
    assert "\n" not in message
    assert message.startswith("Cannot ") and message.endswith(".")
    assert ". " not in message.replace("e.g. ", ""), message


# -- privacy ----------------------------------------------------------------------------
@pytest.mark.parametrize("value", [0o000, 0o022, 0o777])
def test_files_are_0600_whatever_the_umask(
    tmp_path: Path, umask: Callable[[int], None], value: int
) -> None:
    umask(value)
    written = write_private(tmp_path / "a.pdf", b"%PDF-1.7 ...")
    with open_private(tmp_path / "b.xlsx") as binary:
        binary.write(b"PK...")
    with open_private(tmp_path / "c.csv", "w") as text:
        text.write("quarter,measure\n")
    for path in (written, tmp_path / "b.xlsx", tmp_path / "c.csv"):
        assert mode(path) == 0o600, path
    assert (tmp_path / "c.csv").read_text() == "quarter,measure\n"


def test_no_byte_is_ever_readable_by_others(
    tmp_path: Path, umask: Callable[[int], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mode is 0600 at creation, before the first byte is written."""
    umask(0)
    real_write = os.write
    seen: list[int] = []

    def watching_write(descriptor: int, data: Any) -> int:
        seen.append(stat.S_IMODE(os.fstat(descriptor).st_mode))
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", watching_write)
    write_private(tmp_path / "plan.html", "<p>Safety plan</p>" * 1000)
    with open_private(tmp_path / "plan.txt", "w") as stream:
        stream.write("x" * 100_000)
    assert seen and set(seen) == {0o600}


def test_a_new_file_replaces_the_old_one_and_is_private(tmp_path: Path) -> None:
    target = tmp_path / "backup.json"
    target.write_text("old")
    target.chmod(0o644)
    write_private(target, "new")
    assert target.read_text() == "new" and mode(target) == 0o600
    assert names(tmp_path) == ["backup.json"]


def test_a_text_string_is_written_as_utf8(tmp_path: Path) -> None:
    write_private(tmp_path / "cy.html", "Cynllun diogelwch â ŵ")
    assert (tmp_path / "cy.html").read_bytes() == "Cynllun diogelwch â ŵ".encode()


def test_the_stream_is_seekable_for_zip_writers(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Screened"
    with open_private(tmp_path / "q.xlsx") as stream:
        workbook.save(stream)
    assert openpyxl.load_workbook(tmp_path / "q.xlsx").active["A1"].value == "Screened"


def test_fsync_then_rename_then_fsync_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file"
        steps.append(f"fsync {kind}")
        real_fsync(descriptor)

    def replace(source: Any, target: Any) -> None:
        steps.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_private(tmp_path / "x.pdf", b"pdf")
    assert steps == ["fsync file", "rename", "fsync folder"]


def test_a_batch_folder_is_made_0700_with_its_parents(
    tmp_path: Path, umask: Callable[[int], None]
) -> None:
    umask(0)
    folder = ensure_private_folder(tmp_path / "out" / "north")
    assert folder == tmp_path / "out" / "north"
    assert mode(tmp_path / "out") == 0o700 and mode(folder) == 0o700
    assert names(folder) == []  # the write check leaves nothing behind


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert ensure_private_folder(shared) == shared
    assert mode(shared) == 0o755 and names(shared) == []


# -- atomic -------------------------------------------------------------------------------
def test_a_failing_stream_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "q.xlsx"
    target.write_bytes(b"the good report")
    with pytest.raises(RuntimeError, match="openpyxl broke"), open_private(target) as stream:
        stream.write(b"half a rep")
        raise RuntimeError("openpyxl broke")
    assert target.read_bytes() == b"the good report"
    assert names(tmp_path) == ["q.xlsx"]


def test_a_failing_stream_leaves_no_file_at_all(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), open_private(tmp_path / "new.csv", "w") as stream:
        stream.write("a,b\n")
        raise KeyboardInterrupt
    assert names(tmp_path) == []


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from snt_youth.private_files import open_private

    with open_private(sys.argv[1]) as stream:
        stream.write(b"NEW" * 100_000)
        stream.flush()
        print("writing", flush=True)
        time.sleep(60)
    """
)


def test_a_killed_writer_never_leaves_a_partial_target(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"the whole old plan")
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
        partial = [p for p in tmp_path.iterdir() if p.name != "plan.pdf"]
        assert partial and partial[0].stat().st_size == 300_000  # mid-write, for real
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"the whole old plan"
    # Nothing can tidy up after SIGKILL; what is left is hidden and owner-only.
    for left in tmp_path.iterdir():
        if left != target:
            assert left.name.startswith(".plan.pdf.") and left.name.endswith(".part")
            assert mode(left) == 0o600


# -- one sentence for each failure -----------------------------------------------------------
def test_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.pdf"
    with pytest.raises(WriteError) as caught:
        write_private(target, b"pdf")
    assert str(caught.value) == (
        f"Cannot write {target}: the folder {target.parent} does not exist; "
        "choose a folder that exists."
    )
    assert isinstance(caught.value, SntError) and caught.value.exit_code == 2
    assert not (tmp_path / "missing").exists()


def test_a_name_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "report.csv").mkdir()
    for attempt in (
        lambda: write_private(tmp_path / "report.csv", b"x"),
        lambda: open_private(tmp_path / "report.csv", "w").__enter__(),
    ):
        with pytest.raises(WriteError) as caught:
            attempt()
        one_sentence(str(caught.value))
        assert str(caught.value) == (
            f"Cannot write {tmp_path / 'report.csv'}: that name is a folder; "
            "give a file name instead."
        )
    assert names(tmp_path / "report.csv") == []


def test_a_file_where_a_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("not a folder")
    with pytest.raises(WriteError, match="is a file, not a folder") as caught:
        write_private(tmp_path / "notes" / "x.pdf", b"x")
    one_sentence(str(caught.value))
    with pytest.raises(WriteError, match="is a file, not a folder"):
        ensure_private_folder(tmp_path / "notes" / "batch")
    assert (tmp_path / "notes").read_text() == "not a folder"


def refuse_open_in(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int) -> Callable[..., int]:
    """Make os.open fail with ``code`` for new files in ``folder``, as the kernel would."""
    real_open = os.open

    def refusing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).parent == folder and flags & os.O_CREAT:
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    return refusing_open


@pytest.mark.parametrize(
    ("code", "problem", "advice"),
    [
        (errno.EROFS, "is read-only", "choose a folder you can write to"),
        (errno.EACCES, "you do not have permission to write in", "choose a folder you can"),
        (errno.EPERM, "you do not have permission to write in", "choose a folder you can"),
    ],
)
def test_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, problem: str, advice: str
) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"old plan")
    refuse_open_in(monkeypatch, tmp_path, code)
    for attempt in (
        lambda: write_private(target, b"new plan"),
        lambda: ensure_private_folder(tmp_path),
    ):
        with pytest.raises(WriteError) as caught:
            attempt()
        message = str(caught.value)
        one_sentence(message)
        assert str(tmp_path) in message and problem in message and advice in message
    assert target.read_bytes() == b"old plan"
    assert names(tmp_path) == ["plan.pdf"]


def test_a_read_only_parent_when_making_a_batch_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdir = os.mkdir

    def read_only_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if Path(path).parent == tmp_path:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", read_only_mkdir)
    with pytest.raises(WriteError) as caught:
        ensure_private_folder(tmp_path / "batch" / "north")
    assert str(caught.value) == (
        f"Cannot make the folder {tmp_path / 'batch' / 'north'}: the folder {tmp_path} is "
        "read-only; choose a folder you can write to."
    )


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to run the writer as the unprivileged user nobody",
)
def test_a_folder_the_user_may_not_write_in_for_real(tmp_path: Path) -> None:
    """As nobody, a root-owned 0755 folder really refuses new files (EACCES)."""
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"snt-private-{os.getpid()}-{tmp_path.name}"
    base.mkdir(mode=0o755)
    try:
        base.chmod(0o755)
        target = base / "plan.pdf"
        target.write_bytes(b"old plan")
        code = (
            "import sys\n"
            "from snt_youth.errors import WriteError\n"
            "from snt_youth.private_files import write_private, ensure_private_folder\n"
            "for attempt in (lambda: write_private(sys.argv[1], b'new'),\n"
            "                lambda: ensure_private_folder(sys.argv[2])):\n"
            "    try:\n"
            "        attempt()\n"
            "    except WriteError as error:\n"
            "        print(error)\n"
        )
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        done = subprocess.run(
            [*nobody, sys.executable, "-c", code, str(target), str(base / "batch")],
            capture_output=True,
            text=True,
            timeout=60,
            cwd="/",
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines == [
            f"Cannot write {target}: you do not have permission to write in the folder "
            f"{base}; choose a folder you can write to.",
            f"Cannot make the folder {base / 'batch'}: you do not have permission to write "
            f"in the folder {base}; choose a folder you can write to.",
        ]
        assert target.read_bytes() == b"old plan" and names(base) == ["plan.pdf"]
    finally:
        shutil.rmtree(base)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    target = tmp_path / "q.json"
    target.write_text('{"old": true}')
    real_write = os.write
    budget = {"bytes": 10}

    def filling_write(descriptor: int, data: Any) -> int:
        if budget["bytes"] <= 0:
            raise OSError(code, os.strerror(code))
        chunk = bytes(memoryview(data)[: budget["bytes"]])
        budget["bytes"] -= len(chunk)
        return real_write(descriptor, chunk)

    monkeypatch.setattr(os, "write", filling_write)
    attempts: list[Callable[[], object]] = [
        lambda: write_private(target, b"x" * 100),
    ]

    def stream_binary() -> None:
        with open_private(target) as stream:
            stream.write(b"y" * 100_000)

    def stream_text() -> None:
        with open_private(target, "w") as stream:
            stream.write("z" * 100)  # fits the buffer: fails when flushed at the end

    attempts += [stream_binary, stream_text]
    for attempt in attempts:
        budget["bytes"] = 10
        with pytest.raises(WriteError) as caught:
            attempt()
        assert str(caught.value) == (
            f"Cannot write {target}: the disk is full; free some space or choose another disk."
        )
        assert target.read_text() == '{"old": true}'
        assert names(tmp_path) == ["q.json"]


def test_an_unexpected_disk_error_still_gives_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_write(descriptor: int, data: Any) -> int:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "write", broken_write)
    with pytest.raises(WriteError) as caught:
        write_private(tmp_path / "x.pdf", b"x")
    assert str(caught.value) == (
        f"Cannot write {tmp_path / 'x.pdf'}: input/output error; choose another place to write it."
    )
    assert names(tmp_path) == []


def test_a_name_too_long(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="the name is too long; choose a shorter name"):
        write_private(tmp_path / ("x" * 300), b"x")
    assert names(tmp_path) == []


def test_write_error_survives_a_worker_process() -> None:
    """Batch workers send their errors back by pickling them."""
    import pickle

    error = WriteError("Cannot write /x.pdf: the disk is full; free some space.")
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, WriteError) and str(again) == str(error)


def test_open_private_refuses_other_modes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'wb' or 'w'"):
        open_private(tmp_path / "x", "a")  # type: ignore[call-overload]
