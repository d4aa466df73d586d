"""Who you are, and an audit trail that shows any change to itself.

Run it: python examples/access.py   (uses SNT_YOUTH_DB, or a SQLite file here)

It records a few changes, checks the audit chain, changes one event behind the
product's back (as someone with the file and its key could, with SQLCipher's own
driver and no snt-youth code), and shows
`audit verify` naming it. Then it redacts an event the way an erasure does, and the
chain is whole again. On PostgreSQL the same chain is kept, and the database also
holds each person to their teams (see docs/admin.md).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from click.testing import CliRunner

import snt_youth
from snt_youth import keys
from snt_youth.cli import cli

url = os.environ.get("SNT_YOUTH_DB") or f"sqlite:///{Path(tempfile.mkdtemp()) / 'access.sqlite3'}"


def run(*args: str) -> int:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    print(f"$ snt-youth {' '.join(args)}")
    print(result.output.rstrip())
    return result.exit_code


with snt_youth.open(url) as book:
    book.add_user("r.ahmed", "officer", ["north"])
    book.add_young_person("YJ-3001", dt.date(2010, 3, 1), "north", known_as="Kai")
    book.add_note("YJ-3001", "Met Kai at school with his mum.")
    me = book.whoami()
    print(f"Opened as {me.name}; sees {'every team' if me.sees_all else me.teams}.")

run("--user", "r.ahmed", "whoami")
assert run("audit", "verify") == 0


def behind_the_back(sql: str) -> None:
    """Change the file with SQLCipher's driver and the file's key: no snt-youth code."""
    path = url.removeprefix("sqlite:///")
    raw = sqlcipher.connect(path)
    key = keys.find(path, None)
    if key is not None:  # a plain file (init --plain) needs none
        raw.execute(f"PRAGMA key = {key.pragma()}")
    with raw:
        raw.execute(sql)
    raw.close()


# Someone with the file and its key changes an event: who added the young person.
behind_the_back("UPDATE audit_events SET user_name = 'someone.else' WHERE id = 2")
assert run("audit", "verify") == 1
behind_the_back(  # put it back
    "UPDATE audit_events SET user_name = (SELECT user_name FROM audit_events WHERE id = 1) "
    "WHERE id = 2"
)
assert run("audit", "verify") == 0

# An erasure clears what an event said, and the chain still checks.
with snt_youth.open(url) as book:
    cleared = book.redact_audit([3], "erasure after the retention period")
print(f"Redacted {cleared} event.")
assert run("audit", "verify") == 0
run("audit")
