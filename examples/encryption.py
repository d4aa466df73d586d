"""Encryption at rest: the database and its backups are encrypted, with no typing.

Run it with:  python examples/encryption.py
It uses SNT_YOUTH_DB if set, otherwise a file "example-encryption.sqlite3" here.

A new database gets its own random key (kept in the system keyring, or in a key file
readable only by you). The example adds a young person, shows that the file holds no
case reference in plain bytes, writes an encrypted backup, keeps a copy of the key, and
restores the backup into a second database with that copy. A wrong passphrase is
refused with one sentence.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from snt_youth import backup
from snt_youth.casebook import Casebook
from snt_youth.errors import FormatError
from snt_youth.sealed import Secret

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-encryption.sqlite3")
database = Path(url.removeprefix("sqlite:///"))
folder = database.parent

with Casebook.open(url, user="a.officer") as book:
    state = book.encryption
    print(f"The database is {state.state}; its key is in {state.key_where}.")
    case_ref = "YJ-5001"
    if not book.young_people():
        book.add_young_person(case_ref, dt.date(2011, 6, 3), "north", known_as="Ash")
    raw = database.read_bytes()
    print(f"Plain bytes of the case reference in the file: {raw.count(case_ref.encode())}")
    if case_ref.encode() in raw:
        raise SystemExit("the case reference is readable in the file, but it should not be")

    locked = book.save_backup(folder / "example-backup.sealed")  # with the database key
    key_copy = book.save_key(str(folder / "example-database.key"))
    shared = book.save_backup(
        folder / "example-backup-for-ig.sealed", passphrase="a passphrase the IG team keeps"
    )
print(f"Encrypted backups written: {locked.name} (database key), {shared.name} (passphrase).")

# Restore elsewhere: the key copy opens the key-locked backup.
target = folder / "example-restored.sqlite3"
target.unlink(missing_ok=True)
with Casebook.open(f"sqlite:///{target}", user="ig.officer") as restored:
    key_text = Path(key_copy).read_text()
    data = backup.read(locked, Secret(passphrase=key_text))
    counts = restored.import_backup(data, source=locked.name)
    print(f"Restored {counts['young_people']} young person with the saved key.")

# The passphrase backup refuses a wrong passphrase with one sentence.
try:
    backup.read(shared, Secret(passphrase="a guess"))
except FormatError as problem:
    print(f"Refused: {problem}")
else:
    raise SystemExit("a wrong passphrase opened the backup, but it should not have")
opened = backup.read(shared, Secret(passphrase="a passphrase the IG team keeps"))
print(f"The IG team's passphrase opens it: {len(opened['tables']['young_people'])} young person.")
