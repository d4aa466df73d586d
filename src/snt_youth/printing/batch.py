"""Many worksheets at once, one PDF per young person, on every core.

The HTML of each worksheet is made in the calling process (it is quick, and the
caller holds the data). Turning HTML into PDF is the slow part, so it runs in a
pool of long-lived worker processes, one per core. Each worker imports WeasyPrint
and registers the fonts once, then renders many documents; it writes each PDF
straight to its file, so only small messages travel between processes.

Workers are started with ``spawn``: safe even when the caller has threads (the TUI).

A worksheet with facilitator pages (the matrix worksheets) has the same facilitator
pages for everyone. With ``guide=PATH`` they are printed once, to that file, without
personal data or marking, and each young person's PDF has only their own pages: a
third of the pages, and so about a third of the time.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

import attrs

from snt_youth.errors import InvalidInput
from snt_youth.model import Language, Session, YoungPerson
from snt_youth.printing import worksheets
from snt_youth.printing.engine import PageStyle
from snt_youth.private_files import ensure_private_folder, write_private


@attrs.frozen
class BatchJob:
    """One worksheet to print: for whom, prefilled from which session, and where to."""

    young_person: YoungPerson
    out: Path
    session: Session | None = None


@attrs.frozen
class BatchResult:
    case_ref: str
    path: Path
    size: int
    notice: str | None = None


@attrs.frozen
class _Task:
    html: str
    style: PageStyle
    marking: str | None
    source: str
    folder: Path
    out: Path


def available_cores() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _warm(folder: str) -> None:
    """Worker start-up: import WeasyPrint and register fonts before the first job."""
    worksheets.default_engine(Path(folder))


def _render(task: _Task) -> int:
    pdf = worksheets.default_engine(task.folder).pdf(
        task.html,
        base_url=task.folder,
        style=task.style,
        marking=task.marking,
        source=task.source,
    )
    # Private (0600) and atomic: never a half-written PDF under the real name.
    write_private(task.out, pdf)
    return len(pdf)


def guide_file_name(sheet: worksheets.Worksheet) -> str:
    """The file name of the facilitator guide: facilitator-guide-who-kept-me-safe.pdf."""
    stem = sheet.matrix_id or sheet.name
    return "facilitator-guide-" + re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") + ".pdf"


def render_batch(
    name: str,
    jobs: Iterable[BatchJob],
    *,
    cream: bool = False,
    large_print: bool = False,
    language: Language | None = None,
    workers: int | None = None,
    folder: Path | None = None,
    config: Any = None,
    progress: Callable[[BatchResult], None] | None = None,
    guide: Path | None = None,
) -> list[BatchResult]:
    """Render worksheet ``name`` for every job, ``workers`` processes at a time.

    ``workers`` defaults to the available cores; 1 renders in this process.
    ``progress`` is called once per finished young person's PDF (in finishing order).
    Results come back in the order of ``jobs``. A problem with a template stops the
    batch with its ContentError; PDFs already written are kept.

    Every PDF is written privately (0600) and atomically. Output folders that do not
    exist are created 0700, and each is checked before any rendering starts, so a
    missing or read-only folder stops the batch at once with a WriteError.

    ``guide``: print the facilitator's pages once, to this file (no personal data, no
    marking), and give each young person only their own pages. Without it every PDF
    is the whole worksheet. Only for worksheets with facilitator pages.
    """
    sheet = worksheets.find_worksheet(name, folder)
    if guide is not None and not sheet.has_facilitator_pages:
        raise InvalidInput(
            f"The worksheet {sheet.name!r} has no facilitator pages, so there is no guide "
            "to print; leave the guide out."
        )
    pages: worksheets.Pages = "young-person" if guide is not None else "all"
    job_list = list(jobs)
    folders = {job.out.parent for job in job_list}
    if guide is not None:
        folders.add(guide.parent)
    for out_folder in sorted(folders):
        ensure_private_folder(out_folder)
    count = min(workers or available_cores(), max(1, len(job_list) + (guide is not None)))

    guide_task: _Task | None = None
    if guide is not None:
        g = worksheets.prepare(
            sheet,
            cream=cream,
            large_print=large_print,
            language=language,
            folder=folder,
            config=config,
            pages="facilitator",
        )
        assert g.marking is None  # the guide never carries personal data
        guide_task = _Task(g.html, g.style, None, g.source, g.folder, guide)

    def prepared() -> Iterator[tuple[BatchJob, worksheets.LanguageChoice, _Task]]:
        for job in job_list:
            p = worksheets.prepare(
                sheet,
                young_person=job.young_person,
                session=job.session,
                cream=cream,
                large_print=large_print,
                language=language,
                folder=folder,
                config=config,
                pages=pages,
            )
            task = _Task(p.html, p.style, p.marking, p.source, p.folder, job.out)
            yield job, p.choice, task

    results: dict[int, BatchResult] = {}

    def finish(index: int, job: BatchJob, notice: str | None, size: int) -> None:
        result = BatchResult(job.young_person.case_ref, job.out, size, notice)
        results[index] = result
        if progress is not None:
            progress(result)

    if count <= 1:
        if guide_task is not None:
            _render(guide_task)
        for index, (job, choice, task) in enumerate(prepared()):
            finish(index, job, choice.notice, _render(task))
        return [results[i] for i in range(len(job_list))]

    base = str(worksheets.folder_path(folder))
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_warm, initargs=(base,))
    with pool:
        try:
            # The guide goes first, so it is not left to the end on one core.
            guide_future = pool.submit(_render, guide_task) if guide_task is not None else None
            pending: dict[Future[int], tuple[int, BatchJob, str | None]] = {}
            for index, (job, choice, task) in enumerate(prepared()):
                pending[pool.submit(_render, task)] = (index, job, choice.notice)
                # Keep a few tasks queued per worker, and report progress as we go.
                while len(pending) >= count * 4:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        index_done, job_done, notice = pending.pop(future)
                        finish(index_done, job_done, notice, future.result())
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index_done, job_done, notice = pending.pop(future)
                    finish(index_done, job_done, notice, future.result())
            if guide_future is not None:
                guide_future.result()
        except BaseException:
            # A failed PDF (a full disk, say) stops the batch: do not render the rest.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [results[i] for i in range(len(job_list))]
