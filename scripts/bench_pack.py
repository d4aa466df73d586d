"""Benchmark (not a test): `report pack` for a large demo service, every format.

    python scripts/bench_pack.py [--young-people 10000]

Prints the time to count, protect (the intruder check's share shown apart) and render.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import snt_youth
from snt_youth import demo
from snt_youth.printing.report_pdf import render_report_pdf
from snt_youth.tracking import exports, intruder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--young-people", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        with snt_youth.open(url, user="bench") as book:
            demo.populate(book, n=args.young_people, seed=1)
            quarter = book.quarters_with_data()[-2]
            spent = {"examine": 0.0}
            original = intruder.examine

            def timed(*a: object, **k: object) -> intruder.Examination:
                start = time.perf_counter()
                try:
                    return original(*a, **k)  # type: ignore[arg-type]
                finally:
                    spent["examine"] += time.perf_counter() - start

            intruder.examine = timed  # type: ignore[assignment]
            import snt_youth.tracking.publication as publication

            publication.examine = timed  # type: ignore[assignment]
            start = time.perf_counter()
            pack = book.report_pack(quarter)
            protected = time.perf_counter() - start
        start = time.perf_counter()
        for report in pack.reports:
            for fmt in ("csv", "xlsx", "json"):
                exports.render(report, fmt)
            render_report_pdf(report)
        rendered = time.perf_counter() - start
    total = protected + rendered
    print(f"{args.young_people} young people, {len(pack.reports)} reports, {quarter}")
    print(f"count + protect: {protected:.1f} s (intruder check {spent['examine']:.1f} s)")
    print(f"render every format: {rendered:.1f} s; total {total:.1f} s")
    print(f"intruder share: {100 * spent['examine'] / total:.0f}%; rounds {pack.rounds}")


if __name__ == "__main__":
    main()
