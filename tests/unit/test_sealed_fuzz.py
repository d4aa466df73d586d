"""The sealed backup envelope: every change to a sealed file is refused with one sentence.

Hypothesis cuts, flips and appends bytes, and writes headers of its own; the parser
either returns the exact plaintext (for the untouched file) or raises FormatError,
never anything else.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snt_youth import sealed
from snt_youth.errors import FormatError

KEY = bytes(range(32))
SECRET = sealed.Secret(database_key=KEY)
PLAIN = json.dumps({"tables": {"young_people": [{"case_ref": "YJ-1"}]}}).encode() * 3000
SEALED = sealed.seal(PLAIN, SECRET)


def test_round_trip_for_sizes_around_a_chunk() -> None:
    for size in (0, 1, sealed.CHUNK - 1, sealed.CHUNK, sealed.CHUNK + 1, 3 * sealed.CHUNK):
        data = bytes(size % 251 for size in range(size))
        assert sealed.unseal(sealed.seal(data, SECRET), "f", SECRET) == data


def test_each_refusal_is_its_own_sentence() -> None:
    cases = {
        "cut short": SEALED[:-5],
        "damaged": SEALED[:-5] + bytes(b ^ 1 for b in SEALED[-5:]),
        "not an encrypted": b"{}",
    }
    for words, data in cases.items():
        with pytest.raises(FormatError, match=words):
            sealed.unseal(data, "b.sealed", SECRET)
    with pytest.raises(FormatError, match="key id"):
        sealed.unseal(SEALED, "b.sealed", sealed.Secret(database_key=b"\x01" * 32))
    locked = sealed.seal(b"x", sealed.Secret(passphrase="correct horse"))
    with pytest.raises(FormatError, match="The passphrase does not open"):
        sealed.unseal(locked, "b.sealed", sealed.Secret(passphrase="wrong horse"))
    with pytest.raises(FormatError, match="locked with a passphrase"):
        sealed.unseal(locked, "b.sealed", SECRET)


def test_the_key_as_a_passphrase_text_opens_a_key_locked_file() -> None:
    assert sealed.unseal(SEALED, "f", sealed.Secret(passphrase=KEY.hex() + "\n")) == PLAIN


def _refused_or_same(data: bytes) -> None:
    try:
        opened = sealed.unseal(data, "fuzzed", SECRET)
    except FormatError as exc:
        message = str(exc)
        assert message.startswith(("fuzzed", "The passphrase")), message
        assert message.endswith("."), message
        assert "\n" not in message
        return
    assert data == SEALED and opened == PLAIN


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEALED) - 1))
def test_cut_anywhere(at: int) -> None:
    _refused_or_same(SEALED[:at])


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEALED) - 1), st.integers(1, 255))
def test_one_byte_changed_anywhere(at: int, flip: int) -> None:
    _refused_or_same(SEALED[:at] + bytes([SEALED[at] ^ flip]) + SEALED[at + 1 :])


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=1, max_size=64))
def test_bytes_added_at_the_end(extra: bytes) -> None:
    _refused_or_same(SEALED + extra)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_after_the_magic(tail: bytes) -> None:
    _refused_or_same(sealed.MAGIC + tail)


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=40),
    st.lists(st.integers(), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["v", "cipher", "chunk", "kdf", "n", "r", "p", "salt", "check", "size", "key_id"]
        ),
        _VALUES,
    ),
    st.binary(max_size=200),
)
def test_headers_of_any_shape(fields: dict[str, object], body: bytes) -> None:
    header = json.dumps(fields).encode("ascii")
    _refused_or_same(sealed.MAGIC + header + b"\n" + body)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["v", "cipher", "chunk", "kdf", "salt", "check", "size", "key_id"]))
def test_a_real_header_missing_one_field(name: str) -> None:
    end = SEALED.index(b"\n", len(sealed.MAGIC))
    fields = json.loads(SEALED[len(sealed.MAGIC) : end])
    del fields[name]
    head = sealed.MAGIC + json.dumps(fields).encode() + b"\n"
    _refused_or_same(head + SEALED[end + 1 :])
