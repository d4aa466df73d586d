"""The one writer for every file that may hold personal data (DESIGN rule 11).

Worksheet PDFs and HTML, batch folders, report exports (CSV, XLSX, JSON, PDF) and
backups are all written here, so each of them is:

- **private**: the file is created with mode 0600 (owner read and write only) before
  any byte goes into it, whatever the umask; a batch folder is created 0700;
- **atomic**: the bytes go to a hidden temporary file in the same folder
  (``.NAME.<eight random characters>.part``), which is flushed and fsynced, then renamed onto the
  name asked for, and the folder is fsynced. A failure removes the temporary file
  and leaves any earlier file of that name untouched, so nobody ever opens half a
  PDF. (A process killed outright, with SIGKILL or a power cut, cannot tidy up: it
  may leave the hidden ``.part`` file, itself 0600, but never a partial target.)
- **clear on failure**: a missing or read-only folder, a full disk, or a name that is
  a folder raises :class:`~snt_youth.errors.WriteError` with one sentence that names
  the path and says what to do.

Three entry points::

    write_private("plan.pdf", pdf_bytes)          # bytes or str, all at once
    with open_private("q.xlsx") as stream:         # a file object, for writers
        workbook.save(stream)                      #   that want one (openpyxl)
    ensure_private_folder("worksheets-out")        # a 0700 folder you can write in

Every byte goes through :func:`os.write`, so there is one place where the disk can
say no. Pure standard library: core modules and faces may both use it.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, TextIO, overload

from snt_youth.errors import WriteError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "ensure_private_folder",
    "open_private",
    "write_private",
]

#: Owner read and write only.
FILE_MODE = 0o600
#: Owner only: nobody else can list, enter or add to the folder.
FOLDER_MODE = 0o700

# O_EXCL: always a new file, never one someone planted; O_NOFOLLOW: never through a link.
_TEMPORARY_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)
# Room for "." and ".<eight random characters>.part" within the usual 255-byte limit on a file name.
_LONGEST_STEM = 200


def write_private(path: str | os.PathLike[str], data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` privately (0600) and atomically; return the path written.

    A ``str`` is encoded with ``encoding``. Raises :class:`WriteError` with one sentence
    when the file cannot be written; an earlier file at ``path`` is then left as it was.
    """
    raw = data.encode(encoding) if isinstance(data, str) else data
    target = _target(path)
    with _private_descriptor(target) as descriptor:
        view = memoryview(raw)
        while view:
            view = view[os.write(descriptor, view) :]
    return target


@overload
def open_private(
    path: str | os.PathLike[str], mode: Literal["wb"] = "wb"
) -> AbstractContextManager[BinaryIO]: ...


@overload
def open_private(
    path: str | os.PathLike[str],
    mode: Literal["w"],
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> AbstractContextManager[TextIO]: ...


def open_private(
    path: str | os.PathLike[str],
    mode: Literal["wb", "w"] = "wb",
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> AbstractContextManager[BinaryIO] | AbstractContextManager[TextIO]:
    """A file object (binary ``"wb"`` or text ``"w"``) whose contents appear at ``path``
    only when the ``with`` block ends without an error, private and atomic as
    :func:`write_private`.

    If the block raises, nothing appears at ``path`` and the exception goes on (an
    :class:`OSError` while writing becomes :class:`WriteError`). The stream is
    seekable, as zip-based writers such as openpyxl like.
    """
    if mode == "wb":
        return _binary_stream(_target(path))
    if mode == "w":
        return _text_stream(_target(path), encoding, newline)
    raise ValueError(f"open_private mode must be 'wb' or 'w', not {mode!r}")


def ensure_private_folder(path: str | os.PathLike[str]) -> Path:
    """Make sure ``path`` is a folder that private files can be written in; return it.

    A missing folder, and any missing folder above it, is created 0700. A folder that
    already exists keeps its mode (it may be a shared one the person chose on purpose;
    each file written in it is 0600 anyway). The folder is then checked by creating and
    removing a hidden file, so a read-only or full folder is reported before any slow
    work starts. Raises :class:`WriteError` with one sentence.
    """
    folder = _target(path)
    _make_folder(folder)
    try:
        descriptor, temporary = _open_temporary(folder / "write-check")
    except OSError as exc:
        raise _failure(f"write in the folder {folder}", folder, exc, where="it") from None
    os.close(descriptor)
    with suppress(OSError):
        os.unlink(temporary)
    return folder


# -- the descriptor and its temporary file ----------------------------------------------
def _target(path: str | os.PathLike[str]) -> Path:
    return Path(path).expanduser()


def _open_temporary(target: Path) -> tuple[int, Path]:
    """Create a hidden 0600 file beside ``target``; O_EXCL, so it is always a new file."""
    while True:
        temporary = target.parent / f".{target.name[:_LONGEST_STEM]}.{secrets.token_hex(4)}.part"
        try:
            descriptor = os.open(temporary, _TEMPORARY_FLAGS, FILE_MODE)
        except FileExistsError:
            continue  # another writer chose the same random name: pick again
        break
    try:
        # The umask can only take bits away from 0600; set it exactly, so the owner can
        # always read what they wrote, and nobody else ever could.
        os.fchmod(descriptor, FILE_MODE)
    except OSError:
        os.close(descriptor)
        with suppress(OSError):
            os.unlink(temporary)
        raise
    return descriptor, temporary


@contextmanager
def _private_descriptor(target: Path) -> Iterator[int]:
    """Yield a descriptor to a private temporary file; publish it at ``target`` on success."""
    if os.path.isdir(target):
        raise _failure(f"write {target}", target.parent, IsADirectoryError(errno.EISDIR, ""))
    try:
        descriptor, temporary = _open_temporary(target)
    except OSError as exc:
        raise _failure(f"write {target}", target.parent, exc) from None
    open_descriptor: int | None = descriptor
    try:
        yield descriptor
        os.fsync(descriptor)
        open_descriptor = None
        os.close(descriptor)
        os.replace(temporary, target)
    except BaseException as exc:
        if open_descriptor is not None:
            with suppress(OSError):
                os.close(open_descriptor)
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _failure(f"write {target}", target.parent, exc) from None
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the file system can."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        # Some file systems (network shares, some FUSE mounts) cannot sync a folder.
        # The file's own bytes are already synced and in place; there is nothing the
        # person could do about this, so it is not reported as a failed write.
        pass
    finally:
        os.close(descriptor)


# -- streams ------------------------------------------------------------------------------
class _DescriptorWriter(io.RawIOBase):
    """A raw, seekable stream over a descriptor it does not own; writes use os.write."""

    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self._descriptor = descriptor

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        return os.write(self._descriptor, data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return os.lseek(self._descriptor, offset, whence)

    def tell(self) -> int:
        return os.lseek(self._descriptor, 0, os.SEEK_CUR)

    def truncate(self, size: int | None = None) -> int:
        size = self.tell() if size is None else size
        os.ftruncate(self._descriptor, size)
        return size

    def fileno(self) -> int:
        return self._descriptor


@contextmanager
def _binary_stream(target: Path) -> Iterator[BinaryIO]:
    with _private_descriptor(target) as descriptor:
        stream = io.BufferedWriter(_DescriptorWriter(descriptor))
        with _closing_on_exit(stream):
            yield stream


@contextmanager
def _text_stream(target: Path, encoding: str, newline: str | None) -> Iterator[TextIO]:
    with _private_descriptor(target) as descriptor:
        buffered = io.BufferedWriter(_DescriptorWriter(descriptor))
        stream = io.TextIOWrapper(buffered, encoding=encoding, newline=newline)
        with _closing_on_exit(stream):
            yield stream


@contextmanager
def _closing_on_exit(stream: io.IOBase) -> Iterator[None]:
    """Close (and so flush) ``stream`` after the block: a failed flush is a failed write."""
    try:
        yield
    except BaseException:
        with suppress(OSError, ValueError):
            stream.close()
        raise
    stream.close()


# -- one sentence for each way a write can fail -------------------------------------------
def _folder_name(folder: Path) -> str:
    return "the current folder" if str(folder) in ("", ".") else f"the folder {folder}"


def _failure(doing: str, folder: Path, exc: OSError, where: str = "") -> WriteError:
    """``Cannot <doing>: <what is wrong>; <what to do>.`` for an OSError from the disk.

    ``where`` names ``folder`` in the sentence; by default "the folder PATH".
    """
    where = where or _folder_name(folder)
    code = exc.errno
    if code == errno.ENOENT and not os.path.isdir(folder):
        problem, advice = f"{where} does not exist", "choose a folder that exists"
    elif code == errno.ENOENT:
        problem, advice = f"{where} does not take new files", "choose a folder you can write to"
    elif code == errno.ENOTDIR:
        problem, advice = f"part of {folder} is a file, not a folder", "choose a folder"
    elif code == errno.EISDIR:
        problem, advice = "that name is a folder", "give a file name instead"
    elif code == errno.EROFS:
        problem, advice = f"{where} is read-only", "choose a folder you can write to"
    elif code in (errno.EACCES, errno.EPERM):
        problem = f"you do not have permission to write in {where}"
        advice = "choose a folder you can write to"
    elif code in (errno.ENOSPC, errno.EDQUOT):
        problem, advice = "the disk is full", "free some space or choose another disk"
    elif code == errno.ENAMETOOLONG:
        problem, advice = "the name is too long", "choose a shorter name"
    else:
        reason = (exc.strerror or type(exc).__name__).rstrip(".")
        problem, advice = reason[:1].lower() + reason[1:], "choose another place to write it"
    return WriteError(f"Cannot {doing}: {problem}; {advice}.")


def _make_folder(folder: Path) -> None:
    """Create ``folder`` and any missing folders above it, each 0700; fine if it exists."""
    missing: list[Path] = []
    probe = folder
    while not os.path.isdir(probe):
        if os.path.lexists(probe):
            raise WriteError(
                f"Cannot make the folder {folder}: {probe} is a file, not a folder; "
                "choose another folder."
            )
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for step in reversed(missing):
        try:
            os.mkdir(step, FOLDER_MODE)
            # mkdir's mode is cut by the umask; set it exactly, so the owner can use it.
            os.chmod(step, FOLDER_MODE)
        except FileExistsError:
            continue  # made by someone else meanwhile; used as it is
        except OSError as exc:
            raise _failure(f"make the folder {folder}", step.parent, exc) from None
