"""Benchmark worksheet rendering against raw WeasyPrint on the same HTML.

    .venv/bin/python scripts/bench_worksheets.py [--count 100] [--workers N] [--full-batch]

Measures, in one run, on the prefilled matrix worksheet ``matrix:who-kept-me-safe``
(3 pages for the young person, 4 for the facilitator):

1. a cold single render (fresh process: imports, font set-up, first layout), ours
   against raw WeasyPrint, each in its own subprocess;
2. warm single renders, median of ``--repeat``, wall and CPU time: ours
   (``render_pdf``, which includes making the HTML from the template) against raw
   WeasyPrint on the same HTML with our print rules inlined, with default options and
   with our options (``full_fonts``); and against "raw, tuned": WeasyPrint given the
   same pre-parsed stylesheets and one shared ``FontConfiguration``, which is the least
   any caller could do, so the difference is what our pipeline itself costs (making
   the HTML, the marking stylesheet, the safe URL fetcher, the text-size check);
3. a batch of ``--count`` prefilled worksheets with ``render_batch`` on all cores (one
   facilitator guide and each young person's own pages, as ``worksheet batch`` prints
   them), in a fresh process as the command runs it, with the peak memory of the whole
   batch (all its processes together, sampled) and of its largest process; against raw
   WeasyPrint rendering the same HTML one by one in one process. ``--full-batch`` also
   times the old way, the whole 7-page worksheet for everyone.

The load average is printed with each part: on a busy machine wall times grow, CPU
times much less. Not a test: it prints a table. Targets: at most 15% overhead per
document over raw WeasyPrint, a batch of 100 in at most 20 s on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

NAME = "matrix:who-kept-me-safe"

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


def _people(count: int) -> list[tuple[Any, Any]]:
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


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _medians(
    fns: dict[str, Callable[[], object]], repeat: int
) -> dict[str, tuple[float, float, float]]:
    """Median wall and CPU seconds, and least CPU seconds, of each function.

    The functions run in turn, so load from other programs hits all alike; on a busy
    machine the least CPU time is the steadiest figure.
    """
    for fn in fns.values():
        fn()  # warm up
    times: dict[str, list[tuple[float, float]]] = {key: [] for key in fns}
    for _ in range(repeat):
        for key, fn in fns.items():
            times[key].append(_timed(fn))
    return {
        key: (
            statistics.median(t[0] for t in ts),
            statistics.median(t[1] for t in ts),
            min(t[1] for t in ts),
        )
        for key, ts in times.items()
    }


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (1 min), {five:.1f} (5 min)"


def _rss_kb(pid: int | str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[str]:
    found: list[str] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found += f.read().split()
    except OSError:
        pass
    return found


class _MemorySampler(threading.Thread):
    """Samples the resident memory of this process and its children, summed (Linux)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._done.wait(0.05):
            total = _rss_kb(me) + sum(_rss_kb(child) for child in _children(me))
            self.peak_kb = max(self.peak_kb, total)

    def stop(self) -> None:
        self._done.set()
        self.join()


def batch_only(count: int, workers: int | None, full: bool) -> None:
    """Part 3, ours: run in a fresh process, prints JSON."""
    from snt_youth.printing import batch, worksheets

    people = _people(count)
    sampler = _MemorySampler()
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [batch.BatchJob(p, Path(tmp) / f"{p.case_ref}.pdf", s) for p, s in people]
        sheet = worksheets.find_worksheet(NAME)
        guide = None if full else Path(tmp) / batch.guide_file_name(sheet)
        load = _load()
        sampler.start()
        start, cpu = time.perf_counter(), time.process_time()
        batch.render_batch(NAME, jobs, workers=workers, guide=guide)
        seconds, cpu_main = time.perf_counter() - start, time.process_time() - cpu
        sampler.stop()
        pages = sum(_page_count(job.out.read_bytes()) for job in jobs)
        guide_pages = _page_count(guide.read_bytes()) if guide else 0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_main": cpu_main,
                "cpu_workers": children.ru_utime + children.ru_stime,
                "pages": pages,
                "guide_pages": guide_pages,
                "peak_total_mb": sampler.peak_kb / 1024,
                "peak_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "peak_worker_mb": children.ru_maxrss / 1024,
                "workers": workers or batch.available_cores(),
                "load": load,
            }
        )
    )


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _run_batch(count: int, workers: int | None, full: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--batch-only", "--count", str(count)]
    command += ["--workers", str(workers)] if workers else []
    command += ["--full-batch"] if full else []
    result: dict[str, Any] = json.loads(subprocess.check_output(command, text=True))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--full-batch", action="store_true", help="also time whole worksheets")
    parser.add_argument("--batch-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch_only:
        batch_only(args.count, args.workers, args.full_batch)
        return

    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from snt_youth.printing import batch, engine, worksheets

    people = _people(args.count)
    person, session = people[0]
    sheet = worksheets.find_worksheet(NAME)
    base = str(worksheets.folder_path()) + "/"
    print(
        f"WeasyPrint {weasyprint.__version__}; worksheet {NAME}; "
        f"{batch.available_cores()} cores; {_load()}"
    )
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
    print(f"1. cold single (blank safety-plan, incl. imports): ours {ours:.2f} s, raw {raw:.2f} s")
    print()

    # 2. warm
    print(f"2. warm single, median of {args.repeat} ({_load()})")
    print(
        f"   {'':34} {'wall ms':>8} {'CPU ms':>8} {'min CPU':>8} {'ours vs it':>11} "
        f"{'(min CPU)':>10}"
    )
    for pages in ("all", "young-person"):
        prepared = worksheets.prepare(sheet, young_person=person, session=session, pages=pages)
        html = worksheets.standalone_html(prepared)  # the same page, print rules inlined
        # Raw, tuned: the same stylesheets as ours, parsed once, one FontConfiguration.
        fonts = FontConfiguration()
        pseudo = engine.mentions_pseudo_elements(prepared.html)
        sheets = [
            weasyprint.CSS(
                string=engine.base_css(prepared.style, pseudo_elements=pseudo), font_config=fonts
            ),
            weasyprint.CSS(string=engine.marking_css(str(prepared.marking)), font_config=fonts),
        ]

        def ours_fn(pages: worksheets.Pages = pages) -> bytes:
            return worksheets.render_pdf(sheet, young_person=person, session=session, pages=pages)

        def raw_default(html: str = html) -> bytes:
            return bytes(weasyprint.HTML(string=html, base_url=base).write_pdf())

        def raw_full(html: str = html) -> bytes:
            return bytes(
                weasyprint.HTML(string=html, base_url=base).write_pdf(**engine.PDF_OPTIONS)
            )

        def raw_tuned(
            html: str = prepared.html, sheets: list[Any] = sheets, fonts: Any = fonts
        ) -> bytes:
            document = weasyprint.HTML(string=html, base_url=base).render(
                stylesheets=sheets, font_config=fonts
            )
            return bytes(document.write_pdf(**engine.PDF_OPTIONS))

        count = len(weasyprint.HTML(string=html, base_url=base).render().pages)
        label = "whole worksheet" if pages == "all" else "young person's pages"
        results = _medians(
            {
                "ours": ours_fn,
                "raw default": raw_default,
                "raw full_fonts": raw_full,
                "raw tuned": raw_tuned,
            },
            args.repeat,
        )
        print(f"   {label}, {count} pages:")
        ours_cpu, ours_min = results["ours"][1:]
        for key, (wall, cpu, least) in results.items():
            versus = "" if key == "ours" else f"{(ours_cpu / cpu - 1) * 100:+.0f}%"
            versus_min = "" if key == "ours" else f"{(ours_min / least - 1) * 100:+.0f}%"
            print(
                f"     {key:32} {wall * 1000:8.0f} {cpu * 1000:8.0f} {least * 1000:8.0f} "
                f"{versus:>11} {versus_min:>10}"
            )
    print()

    # 3. batch
    print(f"3. batch of {args.count} prefilled worksheets")
    runs = [("ours, guide once + own pages", _run_batch(args.count, args.workers, False))]
    if args.full_batch:
        runs.append(("ours, whole worksheet each", _run_batch(args.count, args.workers, True)))
    for label, run in runs:
        guide = f" + guide {run['guide_pages']} pages" if run["guide_pages"] else ""
        print(
            f"   {label}: {run['seconds']:.1f} s on {run['workers']} processes "
            f"({run['seconds'] / args.count * 1000:.0f} ms a worksheet; "
            f"{run['pages']} pages{guide}); CPU: workers {run['cpu_workers']:.1f} s, "
            f"main {run['cpu_main']:.1f} s; {run['load']}"
        )
        print(
            f"     peak memory: whole batch {run['peak_total_mb']:.0f} MB "
            f"(main process {run['peak_main_mb']:.0f} MB, largest worker "
            f"{run['peak_worker_mb']:.0f} MB)"
        )
    # Raw WeasyPrint, one by one in this process, on the same HTML.
    guide_html = worksheets.standalone_html(worksheets.prepare(sheet, pages="facilitator"))
    htmls = [
        worksheets.standalone_html(
            worksheets.prepare(sheet, young_person=p, session=s, pages="young-person")
        )
        for p, s in people
    ]
    load = _load()
    start, cpu = time.perf_counter(), time.process_time()
    weasyprint.HTML(string=guide_html, base_url=base).write_pdf(**engine.PDF_OPTIONS)
    for text in htmls:
        weasyprint.HTML(string=text, base_url=base).write_pdf(**engine.PDF_OPTIONS)
    raw_seconds, raw_cpu = time.perf_counter() - start, time.process_time() - cpu
    ours_run = runs[0][1]
    print(
        f"   raw WeasyPrint (full_fonts), same HTML, one by one in one process: "
        f"{raw_seconds:.1f} s, CPU {raw_cpu:.1f} s; {load}"
    )
    print(
        f"   per document, CPU: ours {(ours_run['cpu_workers']) / (args.count + 1) * 1000:.0f} ms"
        f" (workers' CPU incl. start-up / {args.count + 1} PDFs), raw "
        f"{raw_cpu / (args.count + 1) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
