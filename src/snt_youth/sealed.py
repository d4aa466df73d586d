"""The sealed (encrypted) envelope of a backup file: AES-256-GCM in chunks.

A sealed file is::

    snt-youth encrypted backup\\n
    {"v": 1, "cipher": "AES-256-GCM", "chunk": 65536, "kdf": "...", ...}\\n
    chunk 0 | chunk 1 | ... | last chunk

The first two lines are the header (ASCII, at most 1 KiB). The key comes from either

- ``"kdf": "scrypt"``: a passphrase, stretched with scrypt (``n``, ``r``, ``p``, a
  random 16-byte ``salt``), so guessing is slow; or
- ``"kdf": "database-key"``: a random 256-bit database key, with HKDF-SHA256 and the
  ``salt``; ``key_id`` names that key (a hash, not the key) so a refusal can say
  which key the file wants.

Either way HKDF-SHA256 makes two values from the secret: the payload key, and a
16-byte ``check`` stored in the header, so a wrong passphrase is told apart from a
damaged file before any chunk is tried. Each chunk is ``chunk`` bytes of plaintext
(the last may be shorter, or empty) sealed with AES-256-GCM plus a 16-byte tag; its
96-bit nonce is the chunk's number and a flag for the last chunk (the STREAM
construction, as the age format uses), and the header is the associated data of every
chunk. The header also holds the plaintext ``size``, so a file cut short is told from
one that was changed. A changed header or chunk, chunks swapped or dropped, and a file
cut short are each found and named; nothing is returned until every chunk has passed.

Every refusal is a :class:`~snt_youth.errors.FormatError` with one sentence.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import secrets
from typing import Any

import attrs

from snt_youth.errors import FormatError

MAGIC = b"snt-youth encrypted backup\n"
VERSION = 1
CIPHER = "AES-256-GCM"
CHUNK = 64 * 1024
TAG = 16
SALT_BYTES = 16
CHECK_BYTES = 16
MAX_HEADER = 1024
#: scrypt cost for a passphrase: 2**17 x 8 x 1 (128 MiB, about half a second).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
_SCRYPT_LIMITS = {"n": (2**14, 2**20), "r": (1, 16), "p": (1, 4)}
_CHUNK_LIMITS = (1024, 1024 * 1024)
KEY_BYTES = 32
MAX_SIZE = 2**40


@attrs.frozen
class Secret:
    """What opens (or locks) a sealed file: a passphrase, a database key, or both known."""

    passphrase: str | None = attrs.field(default=None, repr=False)
    database_key: bytes | None = attrs.field(default=None, repr=False)


def is_sealed(head: bytes) -> bool:
    """Whether a file that begins with ``head`` is a sealed backup."""
    return head.startswith(MAGIC)


def key_id(database_key: bytes) -> str:
    """A short name for a database key (8 hex characters), safe to print."""
    return _hkdf(database_key, b"", b"snt-youth key id")[:4].hex()


def _hkdf(secret: bytes, salt: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt or None, info=info).derive(secret)


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def _keys(master: bytes, salt: bytes) -> tuple[bytes, bytes]:
    """The payload key and the check value, from the stretched secret."""
    return (
        _hkdf(master, salt, b"snt-youth backup payload"),
        _hkdf(master, salt, b"snt-youth backup check")[:CHECK_BYTES],
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def seal(plaintext: bytes, secret: Secret) -> bytes:
    """The sealed file for ``plaintext``: with the passphrase if there is one, else the
    database key."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt = secrets.token_bytes(SALT_BYTES)
    header: dict[str, Any] = {"v": VERSION, "cipher": CIPHER, "chunk": CHUNK}
    if secret.passphrase is not None:
        if not secret.passphrase:
            raise FormatError("The backup passphrase is empty; give one with some characters.")
        header.update(kdf="scrypt", n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
        master = _scrypt(secret.passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    elif secret.database_key is not None:
        header.update(kdf="database-key", key_id=key_id(secret.database_key))
        master = secret.database_key
    else:
        raise FormatError("There is no key or passphrase to lock the backup with.")
    payload_key, check = _keys(master, salt)
    header.update(salt=_b64(salt), check=_b64(check), size=len(plaintext))
    head = MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n"
    aead = AESGCM(payload_key)
    parts = [head]
    view = memoryview(plaintext)
    count = _chunks(len(view), CHUNK)
    for number in range(count):
        piece = bytes(view[number * CHUNK : (number + 1) * CHUNK])
        parts.append(aead.encrypt(_nonce(number, number == count - 1), piece, head))
    return b"".join(parts)


def _nonce(number: int, last: bool) -> bytes:
    return number.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


@attrs.frozen
class _Header:
    raw: bytes
    kdf: str
    chunk: int
    salt: bytes
    check: bytes
    params: dict[str, int]
    key_id: str | None
    size: int


def _damaged(source: str, what: str) -> FormatError:
    return FormatError(
        f"{source} is a damaged encrypted backup ({what}); use another copy. Nothing was imported."
    )


def _header(data: bytes, source: str) -> _Header:
    if not is_sealed(data):
        raise FormatError(f"{source} is not an encrypted snt-youth backup. Nothing was imported.")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        if len(data) < len(MAGIC) + MAX_HEADER:
            raise FormatError(
                f"{source} is cut short: the encrypted backup ends inside its header. "
                "Nothing was imported."
            )
        raise _damaged(source, "its header has no end")
    raw = data[: end + 1]
    try:
        fields = json.loads(raw[len(MAGIC) : end].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged(source, "its header is not readable") from None
    if not isinstance(fields, dict):
        raise _damaged(source, "its header is not readable")
    if fields.get("v") != VERSION or type(fields.get("v")) is not int:
        raise FormatError(
            f"{source} is an encrypted backup in a format this snt-youth does not know "
            f"(version {fields.get('v')!r}); use the snt-youth that made it. Nothing was imported."
        )
    if fields.get("cipher") != CIPHER:
        raise _damaged(source, "its cipher is not AES-256-GCM")
    chunk = fields.get("chunk")
    if type(chunk) is not int or not _CHUNK_LIMITS[0] <= chunk <= _CHUNK_LIMITS[1]:
        raise _damaged(source, "its chunk size is out of range")
    size = fields.get("size")
    if type(size) is not int or not 0 <= size <= MAX_SIZE:
        raise _damaged(source, "its size is out of range")
    salt, check = _raw(fields.get("salt"), SALT_BYTES), _raw(fields.get("check"), CHECK_BYTES)
    if salt is None or check is None:
        raise _damaged(source, "its salt or check value is wrong")
    kdf = fields.get("kdf")
    params: dict[str, int] = {}
    ident: str | None = None
    if kdf == "scrypt":
        for name, (low, high) in _SCRYPT_LIMITS.items():
            value = fields.get(name)
            if type(value) is not int or not low <= value <= high:
                raise _damaged(source, f"its scrypt {name} is out of range")
            params[name] = value
        if params["n"] & (params["n"] - 1):
            raise _damaged(source, "its scrypt n is not a power of two")
    elif kdf == "database-key":
        ident = fields.get("key_id")
        if not isinstance(ident, str) or len(ident) != 8 or not ident.isascii():
            raise _damaged(source, "its key id is wrong")
    else:
        raise _damaged(source, "it names no known way to make its key")
    return _Header(raw, str(kdf), chunk, salt, check, params, ident, size)


def _raw(value: Any, size: int) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if len(raw) == size else None


def describe(data: bytes, source: str) -> dict[str, Any]:
    """What a sealed file's header says: ``{"kdf": ..., "key_id": ...}`` (no secrets)."""
    header = _header(data, source)
    return {"kdf": header.kdf, "key_id": header.key_id}


def unseal(data: bytes, source: str, secret: Secret) -> bytes:
    """The plaintext of a sealed file, or one sentence: not sealed, damaged, cut short,
    or the wrong passphrase or key (which names what the file wants)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = _header(data, source)
    payload_key = _unlock(header, source, secret)
    aead = AESGCM(payload_key)
    body = memoryview(data)[len(header.raw) :]
    count = _chunks(header.size, header.chunk)
    expected = header.size + count * TAG
    if len(body) < expected:
        raise _cut_short(source)
    if len(body) > expected:
        raise _damaged(source, "it has more bytes than its header says")
    out: list[bytes] = []
    step = header.chunk + TAG
    for number in range(count):
        piece = bytes(body[number * step : (number + 1) * step])
        try:
            out.append(aead.decrypt(_nonce(number, number == count - 1), piece, header.raw))
        except InvalidTag:
            raise _damaged(source, f"part {number + 1} does not match its seal") from None
    return b"".join(out)


def _chunks(size: int, chunk: int) -> int:
    """How many chunks seal ``size`` bytes: a whole number of chunks ends with an empty one."""
    return size // chunk + 1


def _cut_short(source: str) -> FormatError:
    return FormatError(
        f"{source} is cut short: the encrypted backup ends before its last part; use the whole "
        "file or another copy. Nothing was imported."
    )


def _unlock(header: _Header, source: str, secret: Secret) -> bytes:
    if header.kdf == "scrypt":
        if secret.passphrase is None:
            raise FormatError(
                f"{source} is locked with a passphrase; give it with --passphrase-file FILE "
                "or SNT_YOUTH_BACKUP_PASSPHRASE. Nothing was imported."
            )
        p = header.params
        master = _scrypt(secret.passphrase, header.salt, p["n"], p["r"], p["p"])
        keys = _keys(master, header.salt)
        if not hmac.compare_digest(keys[1], header.check):
            raise FormatError(
                f"The passphrase does not open {source}; check it and try again. "
                "Nothing was imported."
            )
        return keys[0]
    candidates: list[bytes] = []
    if secret.passphrase is not None:
        cleaned = secret.passphrase.strip()
        if len(cleaned) == 2 * KEY_BYTES:
            with contextlib.suppress(ValueError):
                candidates.append(bytes.fromhex(cleaned))
    if secret.database_key is not None:
        candidates.append(secret.database_key)
    for candidate in candidates:
        keys = _keys(candidate, header.salt)
        if hmac.compare_digest(keys[1], header.check):
            return keys[0]
    raise FormatError(
        f"{source} is locked with the key of a database (key id {header.key_id}) that is not "
        "the key given; give that database's key file with --passphrase-file FILE. "
        "Nothing was imported."
    )
