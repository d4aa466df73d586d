"""Benchmark: encrypted (SQLCipher) against plain SQLite, the same rows, in the same run.

Times, each through the Casebook, on a plain file and on an encrypted one:

- the caseload (``Casebook.caseload``) of a service with 10,000 young people (best of 5);
- the quarterly report (``Casebook.quarterly_report``, every breakdown, the trend and
  disclosure control) of a service with 1,000,000 young people (best of 3; the service
  is built once by scripts/bench_report.py's generator and reused, plain and encrypted);
- the bulk restore (``Casebook.import_backup``, every row checked) of 20,000 young people.

The aim is no more than 1.3x plain for each.

    .venv/bin/python scripts/bench_encryption.py
    .venv/bin/python scripts/bench_encryption.py --report-people 100000   # quicker
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_report
import bench_restore

from snt_youth.casebook import Casebook

TARGET = 1.3


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    fn()  # warm: the same pages in the OS cache for both files
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def restore(path: Path, document: dict[str, Any], *, plain: bool) -> float:
    path.unlink(missing_ok=True)
    with Casebook.open(f"sqlite:///{path}", user="bench", plain=plain) as book:
        start = time.perf_counter()
        book.import_backup(document, source="bench")
        return time.perf_counter() - start


def caseload(path: Path) -> float:
    with Casebook.open(f"sqlite:///{path}", user="bench", create=False) as book:
        rows = len(book.caseload())
        assert rows > 0
        return best_of(5, book.caseload)


def report(path: Path) -> float:
    with Casebook.open(f"sqlite:///{path}", user="bench", create=False) as book:
        return best_of(
            3,
            lambda: book.quarterly_report(bench_report.QUARTER, report_date=bench_report.TODAY),
        )


def build_service(path: Path, people: int) -> None:
    """A plain file with bench_report's rows, inserted by column name (the generator's
    tuples leave out ``case_key``, made here, and ``version``, which has a default)."""
    import sqlite3

    from snt_youth.store.schema import case_key, metadata

    with Casebook.open(f"sqlite:///{path}", user="bench", plain=True):
        pass  # the schema from the product's migrations
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        for table, rows in bench_report.generate(people):
            if not rows:
                continue
            names = [
                c.name
                for c in metadata.tables[table].columns
                if c.name not in ("case_key", "version")
            ]
            assert len(names) == len(rows[0]), (table, names)
            if table == "young_people":
                names.append("case_key")
                rows = [(*row, case_key(row[1])) for row in rows]
            marks = ", ".join("?" * len(names))
            conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)
    conn.execute("ANALYZE")
    conn.close()


def report_service(folder: Path, people: int) -> tuple[Path, Path]:
    """The plain and the encrypted service, built once and kept in ``folder``."""
    from snt_youth.store.engine import KeyChoice, encrypt_database

    plain = folder / f"report-{people}.plain.sqlite3"
    encrypted = folder / f"report-{people}.encrypted.sqlite3"
    if not plain.exists():
        print(f"Building a service of {people:,} young people (once)...", file=sys.stderr)
        partial = plain.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build_service(partial, people)
        partial.rename(plain)
    if not encrypted.exists():
        print("Encrypting a copy of it (once)...", file=sys.stderr)
        partial = folder / f".report-{people}.encrypting.sqlite3"
        shutil.copy(plain, partial)
        encrypt_database(f"sqlite:///{partial}", KeyChoice())
        # The key belongs to the path: move it with the file.
        from snt_youth import keys

        kept = keys.default_key_file(partial)
        partial.rename(encrypted)
        kept.rename(keys.default_key_file(encrypted))
    return plain, encrypted


def line(what: str, plain: float, encrypted: float) -> str:
    ratio = encrypted / plain
    verdict = "meets" if ratio <= TARGET else "misses"
    return (
        f"{what:<34} plain {plain * 1000:9.0f} ms   encrypted {encrypted * 1000:9.0f} ms   "
        f"{ratio:4.2f}x ({verdict} the {TARGET}x aim)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caseload-people", type=int, default=10_000)
    parser.add_argument("--report-people", type=int, default=1_000_000)
    parser.add_argument("--restore-people", type=int, default=20_000)
    parser.add_argument(
        "--folder",
        type=Path,
        default=Path(tempfile.gettempdir()) / "snt-youth-bench-encryption",
        help="Where the report services (and their key) are kept between runs.",
    )
    args = parser.parse_args()
    args.folder.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("SNT_YOUTH_KEY_DIR", str(args.folder / "keys"))
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    started = dt.datetime.now()
    print(f"Encrypted (SQLCipher 4, raw 256-bit key) against plain SQLite, {started:%Y-%m-%d}")

    class Results(list[str]):
        def append(self, result: str) -> None:
            print("  " + result, flush=True)  # each figure as soon as it is measured
            super().append(result)

    results = Results()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        document = bench_restore.synthetic_backup(args.restore_people)
        rows = sum(len(r) for r in document["tables"].values())
        plain_restore = restore(folder / "restore-plain.sqlite3", document, plain=True)
        encrypted_restore = restore(folder / "restore-encrypted.sqlite3", document, plain=False)
        results.append(
            line(
                f"restore, {args.restore_people:,} people ({rows:,} rows)",
                plain_restore,
                encrypted_restore,
            )
        )
        del document

        small = bench_restore.synthetic_backup(args.caseload_people)
        plain_db, encrypted_db = folder / "cl-plain.sqlite3", folder / "cl-encrypted.sqlite3"
        restore(plain_db, small, plain=True)
        restore(encrypted_db, small, plain=False)
        del small
        results.append(
            line(
                f"caseload, {args.caseload_people:,} people",
                caseload(plain_db),
                caseload(encrypted_db),
            )
        )

    plain_service, encrypted_service = report_service(args.folder, args.report_people)
    results.append(
        line(
            f"quarterly report, {args.report_people:,} people",
            report(plain_service),
            report(encrypted_service),
        )
    )
    worst = max(float(r.split("   ")[-1].split("x")[0]) for r in results)
    print(f"Worst ratio: {worst:.2f}x (aim: no more than {TARGET}x)")


if __name__ == "__main__":
    main()
