"""Database keys: where each encrypted SQLite file's key is found and kept.

Every embedded database is encrypted (SQLCipher) with its own random 256-bit key.
The key of a database is found, in this order:

1. ``--key-file FILE`` (a file holding the key as 64 hexadecimal characters);
2. the ``SNT_YOUTH_KEY`` environment variable (the same 64 characters);
3. the key file kept for that database in the user config folder
   (``keys/<hash of the database path>.key``, 0600);
4. the operating system's keyring, service ``snt-youth``, entry = the database path.

A new database gets a new key with no typing: it goes into the keyring where a real
one exists, else into the key file (3), and :attr:`Key.created` says so, so the face
can tell the person where it is. The key belongs to the file's full path: a database
moved elsewhere is opened with ``--key-file`` (see docs/encryption.md).

A change of key (``rekey``) first keeps the new key as *pending* beside the current
one; an open that finds the current key refused tries the pending one and, if it
opens the file, makes it current. So a process killed half way never loses a key.

Pure standard library apart from ``keyring`` (loaded only when the key file is not
there) and ``platformdirs``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import attrs

from snt_youth import private_files
from snt_youth.errors import StorageError

KEY_ENV = "SNT_YOUTH_KEY"
KEY_DIR_ENV = "SNT_YOUTH_KEY_DIR"
KEYRING_SERVICE = "snt-youth"
KEY_BYTES = 32
_PENDING = " (pending)"
_HEX = re.compile(r"[0-9a-fA-F]{64}")


@attrs.frozen
class Key:
    """A database key and where it came from (said in messages; never the key)."""

    secret: bytes = attrs.field(repr=False)
    where: str
    #: "file", "env", "keyfile", "keyring": how a new key for a rekey is kept.
    kind: str
    created: bool = False
    path: Path | None = None  # the key file, for "file" and "keyfile"

    @property
    def hex(self) -> str:
        return self.secret.hex()

    def pragma(self) -> str:
        """The SQLCipher raw-key literal: no key derivation, so every open is quick."""
        return f"\"x'{self.hex}'\""


def new_secret() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def database_id(database: str | os.PathLike[str]) -> str:
    """The full, resolved path of a database file: the name its key is kept under."""
    return str(Path(database).expanduser().resolve())


def key_dir() -> Path:
    """The folder of key files: SNT_YOUTH_KEY_DIR, else keys/ in the user config folder
    (under SNT_YOUTH_HOME when that is set, as the tests do)."""
    override = os.environ.get(KEY_DIR_ENV)
    if override:
        return Path(override)
    home = os.environ.get("SNT_YOUTH_HOME")
    if home:
        return Path(home) / "config" / "keys"
    import platformdirs

    return Path(platformdirs.user_config_dir("snt-youth", appauthor=False)) / "keys"


def default_key_file(database: str | os.PathLike[str]) -> Path:
    """The key file kept for ``database``: named after a hash of its full path."""
    digest = hashlib.sha256(database_id(database).encode("utf-8")).hexdigest()[:32]
    return key_dir() / f"{digest}.key"


def _pending_file(path: Path) -> Path:
    return path.with_name(path.name + ".pending")


def parse(text: str, where: str) -> bytes:
    """64 hexadecimal characters as 32 bytes, or one sentence naming ``where``."""
    cleaned = text.strip()
    if not _HEX.fullmatch(cleaned):
        raise StorageError(
            f"The key in {where} is not a snt-youth key (64 hexadecimal characters); "
            "check that it is the right file or value."
        )
    return bytes.fromhex(cleaned)


def read_key_file(path: Path, where: str | None = None) -> bytes:
    where = where or f"the key file {path}"
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        raise StorageError(f"There is no key file at {path}; check the --key-file path.") from None
    except OSError as exc:
        raise StorageError(
            f"Cannot read {where} ({exc.strerror}); check its permissions."
        ) from None
    return parse(text, where)


def write_key_file(path: Path, secret: bytes) -> Path:
    """Write a key file (0600, atomic) in a 0700 folder."""
    private_files.ensure_private_folder(path.parent)
    return private_files.write_private(path, secret.hex() + "\n")


# -- the keyring ------------------------------------------------------------------------
def _keyring() -> object | None:
    """The OS keyring backend, or None where there is no real one (fail, null, chainer
    of nothing) or the package cannot load."""
    try:
        import keyring
        from keyring.backends import fail, null
    except Exception:  # no keyring package, or a broken backend on import
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    chained = getattr(backend, "backends", None)
    if chained is not None and not chained:
        return None
    return backend


def _keyring_get(entry: str) -> str | None:
    backend = _keyring()
    if backend is None:
        return None
    try:
        value = backend.get_password(KEYRING_SERVICE, entry)  # type: ignore[attr-defined]
    except Exception:  # a locked or broken keyring counts as none
        return None
    return value if isinstance(value, str) else None


def _keyring_set(entry: str, value: str) -> bool:
    backend = _keyring()
    if backend is None:
        return False
    try:
        backend.set_password(KEYRING_SERVICE, entry, value)  # type: ignore[attr-defined]
    except Exception:
        return False
    return _keyring_get(entry) == value


def _keyring_delete(entry: str) -> None:
    backend = _keyring()
    if backend is None:
        return
    with contextlib.suppress(Exception):
        backend.delete_password(KEYRING_SERVICE, entry)  # type: ignore[attr-defined]


def keyring_where(database: str | os.PathLike[str]) -> str:
    return f"the keyring (service {KEYRING_SERVICE!r}, entry {database_id(database)})"


# -- finding -----------------------------------------------------------------------------
def explicit(key_file: str | os.PathLike[str] | None) -> Key | None:
    """The key given outright: --key-file, else SNT_YOUTH_KEY; None when neither."""
    if key_file is not None:
        path = Path(key_file).expanduser()
        where = f"the key file {path}"
        return Key(read_key_file(path, where), where, "keyfile", path=path)
    value = os.environ.get(KEY_ENV)
    if value:
        return Key(parse(value, KEY_ENV), KEY_ENV, "env")
    return None


def stored(database: str | os.PathLike[str]) -> Key | None:
    """The key kept for ``database`` (its key file, else the keyring); None if neither."""
    path = default_key_file(database)
    if path.exists():
        return Key(read_key_file(path), f"the key file {path}", "file", path=path)
    value = _keyring_get(database_id(database))
    if value is not None:
        return Key(parse(value, keyring_where(database)), keyring_where(database), "keyring")
    return None


def find(database: str | os.PathLike[str], key_file: str | os.PathLike[str] | None) -> Key | None:
    """The key for ``database``: explicit first, then the kept one; None if none."""
    return explicit(key_file) or stored(database)


def looked(database: str | os.PathLike[str], key_file: str | os.PathLike[str] | None) -> str:
    """Where :func:`find` looked, in words, for the missing-key sentence."""
    places = [f"--key-file {key_file}"] if key_file is not None else []
    places += [KEY_ENV, f"the key file {default_key_file(database)}", keyring_where(database)]
    return ", ".join(places[:-1]) + " and " + places[-1]


@contextlib.contextmanager
def _creation_lock() -> Iterator[None]:
    """One process at a time makes a key (two first runs at once agree on one key)."""
    folder = private_files.ensure_private_folder(key_dir())
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def find_or_make(database: str | os.PathLike[str], key_file: str | os.PathLike[str] | None) -> Key:
    """The key for a new database: the one given or kept, else a new one, kept at once
    (keyring where there is a real one, else the key file) before any page is written."""
    found = explicit(key_file)
    if found is not None:
        return found
    with _creation_lock():
        found = stored(database)
        if found is not None:
            return found
        return keep_new(database, new_secret())


def keep_new(database: str | os.PathLike[str], secret: bytes) -> Key:
    """Keep ``secret`` as the key of ``database``: keyring, else key file."""
    entry = database_id(database)
    if _keyring_set(entry, secret.hex()):
        return Key(secret, keyring_where(database), "keyring", created=True)
    path = write_key_file(default_key_file(database), secret)
    return Key(secret, f"the key file {path}", "file", created=True, path=path)


# -- a change of key: pending, then current ------------------------------------------------
def keep_pending(database: str | os.PathLike[str], current: Key, secret: bytes) -> str:
    """Keep ``secret`` beside ``current`` as pending; returns where, in words."""
    if current.kind in ("file", "keyfile"):
        assert current.path is not None
        pending = write_key_file(_pending_file(current.path), secret)
        return f"the key file {pending}"
    if current.kind == "keyring":
        if not _keyring_set(database_id(database) + _PENDING, secret.hex()):
            raise StorageError("The keyring refused to keep the new key; nothing was changed.")
        return keyring_where(database) + _PENDING
    raise StorageError(
        f"The key came from {KEY_ENV}, which snt-youth cannot change; give --new-key-file "
        "FILE to receive the new key. Nothing was changed."
    )


def pending(database: str | os.PathLike[str], current: Key) -> Key | None:
    """The pending key beside ``current`` (left by a rekey that was stopped), if any."""
    if current.kind in ("file", "keyfile"):
        assert current.path is not None
        path = _pending_file(current.path)
        if path.exists():
            return Key(read_key_file(path), f"the key file {path}", current.kind, path=path)
        return None
    if current.kind == "keyring":
        value = _keyring_get(database_id(database) + _PENDING)
        if value is not None:
            return Key(parse(value, keyring_where(database)), current.where, "keyring")
    return None


def promote(database: str | os.PathLike[str], current: Key) -> Key:
    """Make the pending key current (after the file was rewritten with it)."""
    if current.kind in ("file", "keyfile"):
        assert current.path is not None
        source = _pending_file(current.path)
        secret = read_key_file(source)
        os.replace(source, current.path)
        private_files._sync_folder(current.path.parent)
        return Key(secret, current.where, current.kind, path=current.path)
    entry = database_id(database)
    value = _keyring_get(entry + _PENDING)
    if value is None:
        return current
    if not _keyring_set(entry, value):
        raise StorageError("The keyring refused to keep the new key; try again.")
    _keyring_delete(entry + _PENDING)
    return Key(bytes.fromhex(value), current.where, "keyring")


def drop_pending(database: str | os.PathLike[str], current: Key) -> None:
    """Remove a pending key that never came into use."""
    if current.kind in ("file", "keyfile"):
        assert current.path is not None
        _pending_file(current.path).unlink(missing_ok=True)
    elif current.kind == "keyring":
        _keyring_delete(database_id(database) + _PENDING)
