"""Benchmark worksheet rendering against raw WeasyPrint on the same HTML.

    .venv/bin/python scripts/bench_worksheets.py [--count 100] [--workers N]

Measures, in one run:

1. a cold single render (fresh process: imports, font set-up, first layout), ours
   against raw WeasyPrint, each in its own subprocess;
2. warm single renders of a prefilled matrix worksheet: ours (``render_pdf``) against
   raw ``HTML(string=same_html).write_pdf()`` with default options, and against raw
   WeasyPrint with our options (``full_fonts``), so the saving and the overhead are
   both visible;
3. a batch of ``--count`` prefilled worksheets with ``render_batch`` on all cores,
   against raw WeasyPrint rendering the same HTML one by one, with peak memory.

Not a test: it prints a table. Targets: at most 15% overhead per document over raw
WeasyPrint, a batch of 100 in at most 20 s on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_OURS = """
import time; t = time.perf_counter()
from snt_youth.printing import worksheets
worksheets.render_pdf("safety-plan")
print(time.perf_counter() - t)
"""
COLD_RAW = """
import sys, time; t = time.perf_counter()
import weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf()
print(time.perf_counter() - t)
"""


def _people(count: int) -> list[tuple[object, object]]:
    from snt_youth.model import MatrixEntry, Session, YoungPerson

    pairs = []
    for i in range(count):
        ref = f"YJ-{5000 + i}"
        person = YoungPerson(ref, dt.date(2010, 1, 1), "north", known_as=f"P{i}")
        session = Session(
            id=i,
            case_ref=ref,
            held_on=dt.date(2026, 3, 3),
            facilitator="R. Ahmed",
            matrix_id="who-kept-me-safe",
            matrix_version="1.0",
            entries=(
                MatrixEntry("Mum", "safe", f"She took me to Nan's when it got loud ({i})."),
                MatrixEntry("Nan", "cared", "Made me tea after school."),
                MatrixEntry("Mr Jones", "better", "Let me sit in his room at lunch."),
            ),
            reflection="Mum did more than I thought.",
        )
        pairs.append((person, session))
    return pairs


def _median(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_mb() -> tuple[float, float]:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return self_kb / 1024, child_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import weasyprint

    from snt_youth.printing import batch, engine, worksheets

    name = "matrix:who-kept-me-safe"
    people = _people(args.count)
    prepared = worksheets.prepare(name, young_person=people[0][0], session=people[0][1])
    html = worksheets.standalone_html(prepared)  # the same page, styles inlined
    base = str(prepared.folder) + "/"

    print(f"WeasyPrint {weasyprint.__version__}; worksheet {name}; {batch.available_cores()} cores")
    print()

    # 1. cold
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        blank = worksheets.standalone_html(worksheets.prepare("safety-plan"))
        page.write_text(blank, encoding="utf-8")
        ours = float(subprocess.check_output([sys.executable, "-c", COLD_OURS], text=True))
        raw = float(
            subprocess.check_output([sys.executable, "-c", COLD_RAW, str(page), base], text=True)
        )
    print(f"cold single (safety-plan, incl. imports): ours {ours:.2f} s, raw {raw:.2f} s")

    # 2. warm
    worksheets.render_pdf(name, young_person=people[0][0], session=people[0][1])
    weasyprint.HTML(string=html, base_url=base).write_pdf()
    t_ours = _median(
        lambda: worksheets.render_pdf(name, young_person=people[0][0], session=people[0][1]),
        args.repeat,
    )
    t_raw = _median(lambda: weasyprint.HTML(string=html, base_url=base).write_pdf(), args.repeat)
    t_raw_full = _median(
        lambda: weasyprint.HTML(string=html, base_url=base).write_pdf(**engine.PDF_OPTIONS),
        args.repeat,
    )
    pages = len(weasyprint.HTML(string=html, base_url=base).render().pages)
    print(
        f"warm single ({pages} pages, median of {args.repeat}): ours {t_ours * 1000:.0f} ms, "
        f"raw default {t_raw * 1000:.0f} ms ({(t_ours / t_raw - 1) * 100:+.0f}%), "
        f"raw with full_fonts {t_raw_full * 1000:.0f} ms ({(t_ours / t_raw_full - 1) * 100:+.0f}%)"
    )

    # 3. batch
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [
            batch.BatchJob(person, Path(tmp) / f"{person.case_ref}.pdf", session)  # type: ignore[attr-defined,arg-type]
            for person, session in people
        ]
        start = time.perf_counter()
        batch.render_batch(name, jobs, workers=args.workers)
        t_batch = time.perf_counter() - start
        self_mb, child_mb = _peak_mb()
        htmls = [
            worksheets.standalone_html(worksheets.prepare(name, young_person=p, session=s))  # type: ignore[arg-type]
            for p, s in people
        ]
        start = time.perf_counter()
        for text in htmls:
            weasyprint.HTML(string=text, base_url=base).write_pdf()
        t_raw_batch = time.perf_counter() - start
    workers = args.workers or batch.available_cores()
    print(
        f"batch of {args.count}: ours {t_batch:.1f} s on {workers} processes "
        f"({t_batch / args.count * 1000:.0f} ms a worksheet); raw WeasyPrint one by one "
        f"{t_raw_batch:.1f} s"
    )
    print(f"peak memory: this process {self_mb:.0f} MB, largest worker {child_mb:.0f} MB")


if __name__ == "__main__":
    main()
