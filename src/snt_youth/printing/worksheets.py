"""Printable worksheets: the public library API.

Worksheets are Jinja2 templates in the top-level ``worksheets/`` folder, listed in
``worksheets/manifest.toml`` (see :mod:`snt_youth.printing.manifest`). This module
finds them, gathers the data each one needs, and renders HTML or PDF::

    from snt_youth.printing import worksheets
    for sheet in worksheets.list_worksheets():
        print(sheet.name, sheet.title)
    pdf = worksheets.render_pdf("safety-plan", cream=True)

Personal data is printed only when a young person is passed in, and then only the
case reference and known-as. Every page of such a printout is marked
OFFICIAL-SENSITIVE, at the top and bottom, by the code rather than the template, so
an edited template cannot forget it; a printout without personal data carries no
marking. For many young people at once, use :mod:`snt_youth.printing.batch`.

A worksheet whose manifest entry says ``facilitator_pages = true`` (the matrix
worksheets) has pages for the young person and pages for the facilitator. ``pages``
picks which are printed: ``"all"`` (the default), ``"young-person"``, or
``"facilitator"``, the facilitator's guide, which is the same for everyone and so is
never printed with anyone's details. Templates see the choice as ``parts.young_person``
and ``parts.facilitator``.

A worksheet whose manifest entry says ``take_home = true`` (the safety plan) also has a
**take-home copy**, for the young person to keep. Home may be where the person causing
harm finds it, so ``take_home=True`` prints it with no case reference, no service name
and no marking; ``first_name=True`` adds the young person's first name (their known-as),
and only when they want it. It keeps everything else, helplines included. The officer's
file copy (the default) is unchanged and marked. Record which copy was printed with
:func:`audit_print`; every face does.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack

import attrs

from snt_youth import locations
from snt_youth.errors import InvalidInput, NotFound
from snt_youth.model import Language, Session, YoungPerson
from snt_youth.printing import engine as engine_module
from snt_youth.printing import templating
from snt_youth.printing.manifest import Audience, WorksheetSpec, load_manifest

if TYPE_CHECKING:
    from snt_youth.casebook import Casebook

__all__ = [
    "PAGES",
    "LanguageChoice",
    "Pages",
    "Prepared",
    "Worksheet",
    "audit_detail",
    "audit_print",
    "choose_language",
    "copy_detail",
    "default_engine",
    "find_worksheet",
    "last_session",
    "list_worksheets",
    "prepare",
    "render_html",
    "render_pdf",
]


@attrs.frozen
class Worksheet:
    """A worksheet that can be printed. Matrix worksheets come once per matrix."""

    name: str
    title: str
    audience: Audience
    description: str
    languages: tuple[Language, ...]
    spec: WorksheetSpec
    matrix_id: str | None = None

    @property
    def needs_young_person(self) -> bool:
        return "young-person" in self.spec.needs

    @property
    def prefill_matrix_id(self) -> str | None:
        """The matrix whose latest session prefills this worksheet, or None if none does.

        Pass it with the young person's sessions to
        :func:`snt_youth.protect.prefill.session_to_prefill`.
        """
        return self.matrix_id if "session" in self.spec.needs else None

    @property
    def has_facilitator_pages(self) -> bool:
        """True when the template has facilitator pages that can be printed on their own."""
        return self.spec.facilitator_pages

    @property
    def has_take_home(self) -> bool:
        """True when the worksheet has a take-home copy (see the module docstring)."""
        return self.spec.take_home


#: Which pages of a worksheet to print; see the module docstring.
Pages = Literal["all", "young-person", "facilitator"]
PAGES: tuple[Pages, ...] = ("all", "young-person", "facilitator")


@attrs.frozen
class LanguageChoice:
    """The template language used, and a note for the officer when it differs."""

    language: Language
    template: str
    notice: str | None = None


@attrs.frozen
class Prepared:
    """A worksheet rendered to HTML, with everything needed to make its PDF."""

    worksheet: Worksheet
    html: str
    style: engine_module.PageStyle
    marking: str | None
    source: str
    folder: Path
    choice: LanguageChoice
    pages: Pages = "all"
    take_home: bool = False
    first_name: bool = False
    #: The young person it was printed for (never printed on a take-home copy).
    case_ref: str | None = None

    @property
    def personal(self) -> bool:
        """True when the printout is marked: it carries a case reference.

        A take-home copy is never marked, even with the young person's first name on it:
        it is printed to be kept at home.
        """
        return self.marking is not None


def folder_path(folder: Path | None = None) -> Path:
    """The worksheets folder in use: ``folder``, else the shipped one."""
    return (folder or locations.worksheets_dir()).resolve()


def _stamp(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Names, change times and sizes of ``paths``: a key that changes when any file does."""
    found = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        found.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(found)


def _content_stamp(base: Path) -> tuple[tuple[str, int, int], ...]:
    matrices = locations.matrices_dir()
    listed = sorted(matrices.glob("*.toml")) if matrices.is_dir() else []
    return _stamp([base / "manifest.toml", matrices, *listed])


_CACHE_LOCK = threading.Lock()
_WORKSHEETS: dict[Path, tuple[tuple[tuple[str, int, int], ...], tuple[Worksheet, ...]]] = {}
_MATRICES: dict[str, tuple[tuple[tuple[str, int, int], ...], Any]] = {}


def list_worksheets(folder: Path | None = None) -> list[Worksheet]:
    """Every worksheet in the manifest, with one matrix worksheet per matrix.

    The answer is kept while the manifest and the matrix files are unchanged, so
    printing many worksheets reads them once; an edited file is read again.
    """
    base = folder_path(folder)
    stamp = _content_stamp(base)
    with _CACHE_LOCK:
        cached = _WORKSHEETS.get(base)
    if cached is not None and cached[0] == stamp:
        return list(cached[1])
    found = _read_worksheets(base)
    with _CACHE_LOCK:
        _WORKSHEETS[base] = (stamp, tuple(found))
    return found


def _matrix(matrix_id: str) -> Any:
    """The matrix ``matrix_id``, loaded once while its file is unchanged."""
    from snt_youth.protect.matrix import load_matrix

    stamp = _stamp([locations.matrices_dir() / f"{matrix_id}.toml"])
    with _CACHE_LOCK:
        cached = _MATRICES.get(matrix_id)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    matrix = load_matrix(matrix_id)
    with _CACHE_LOCK:
        _MATRICES[matrix_id] = (stamp, matrix)
    return matrix


def _read_worksheets(base: Path) -> list[Worksheet]:
    specs = load_manifest(base)
    found: list[Worksheet] = []
    matrix_ids: list[tuple[str, str]] | None = None
    for spec in specs:
        languages = tuple(spec.templates)
        if spec.per_matrix:
            if matrix_ids is None:
                from snt_youth.protect.matrix import list_matrices

                matrix_ids = [(m.id, m.title) for m in list_matrices()]
            for matrix_id, matrix_title in matrix_ids:
                found.append(
                    Worksheet(
                        name=f"{spec.name}:{matrix_id}",
                        title=matrix_title,
                        audience=spec.audience,
                        description=spec.description,
                        languages=languages,
                        spec=spec,
                        matrix_id=matrix_id,
                    )
                )
        else:
            found.append(
                Worksheet(
                    name=spec.name,
                    title=spec.title,
                    audience=spec.audience,
                    description=spec.description,
                    languages=languages,
                    spec=spec,
                    matrix_id=spec.matrix,
                )
            )
    return found


def find_worksheet(name: str, folder: Path | None = None) -> Worksheet:
    """The worksheet called ``name``, or NotFound listing the names there are."""
    sheets = list_worksheets(folder)
    for sheet in sheets:
        if sheet.name == name:
            return sheet
    known = ", ".join(s.name for s in sheets)
    raise NotFound(
        f"There is no worksheet {name!r}. Worksheets: {known}. "
        "See them with: snt-youth worksheet list."
    )


def choose_language(
    sheet: Worksheet, young_person: YoungPerson | None = None, language: Language | None = None
) -> LanguageChoice:
    """Pick the template language: asked-for, else the young person's, else English.

    When the wanted language has no template, English is used and ``notice`` says so.
    """
    wanted = language or (young_person.language if young_person else Language.ENGLISH)
    templates = sheet.spec.templates
    if wanted in templates:
        return LanguageChoice(wanted, templates[wanted])
    notice = (
        f"The worksheet {sheet.name!r} has no {_LANGUAGE_NAMES[wanted]} version yet, "
        "so it is printed in English."
    )
    if young_person is not None and young_person.language is wanted:
        notice = (
            f"{young_person.case_ref} prefers {_LANGUAGE_NAMES[wanted]}, but the worksheet "
            f"{sheet.name!r} has no {_LANGUAGE_NAMES[wanted]} version yet, so it is printed "
            "in English. Offer to read it through together."
        )
    return LanguageChoice(Language.ENGLISH, templates[Language.ENGLISH], notice)


_LANGUAGE_NAMES = {Language.ENGLISH: "English", Language.WELSH: "Welsh"}


def last_session(sessions: Iterable[Session], matrix_id: str) -> Session | None:
    """The latest session that used ``matrix_id`` (the one a worksheet is prefilled from).

    Kept for scripts; the rule lives in :func:`snt_youth.protect.prefill.session_to_prefill`.
    """
    from snt_youth.protect.prefill import session_to_prefill

    return session_to_prefill(sessions, matrix_id)


@attrs.frozen
class PrefillRow:
    """One person the young person named, with their words for each matrix column."""

    person: str
    cells: tuple[str, ...]


def prefill_rows(session: Session, column_ids: Sequence[str]) -> tuple[PrefillRow, ...]:
    """A session's entries as matrix rows, in the order people were first named."""
    people: dict[str, dict[str, list[str]]] = {}
    for entry in session.entries:
        cells = people.setdefault(entry.person, {})
        if entry.words:
            cells.setdefault(entry.domain, []).append(entry.words)
    return tuple(
        PrefillRow(person, tuple("\n".join(cells.get(c, [])) for c in column_ids))
        for person, cells in people.items()
    )


def _context(
    sheet: Worksheet,
    choice: LanguageChoice,
    style: engine_module.PageStyle,
    young_person: YoungPerson | None,
    session: Session | None,
    config: Any,
    pages: Pages,
    take_home: bool = False,
    first_name: bool = False,
) -> dict[str, Any]:
    needs = sheet.spec.needs
    person: dict[str, str] | None = None
    if young_person is not None and not take_home:
        person = {"case_ref": young_person.case_ref, "known_as": young_person.known_as or ""}
    elif young_person is not None and first_name:
        # A take-home copy never carries the case reference, whatever the template says.
        person = {"case_ref": "", "known_as": young_person.known_as or ""}
    context: dict[str, Any] = {
        "title": sheet.title,
        "name": sheet.name,
        "audience": sheet.audience,
        "language": choice.language.value,
        "options": {"cream": style.cream, "large_print": style.large_print},
        "parts": {
            "young_person": pages != "facilitator",
            "facilitator": pages != "young-person",
        },
        # Only the case reference and known-as ever reach a template.
        "person": person,
        "take_home": take_home,
        "printed_on": dt.date.today(),
        "matrix": None,
        "matrices": (),
        "instrument": None,
        "session": None,
        "rows": (),
        "helplines": (),
        "helplines_checked": None,
    }
    if "matrix" in needs and sheet.matrix_id:
        matrix = _matrix(sheet.matrix_id)
        context["matrix"] = matrix
        if session is not None:
            context["session"] = session
            context["rows"] = prefill_rows(session, matrix.column_ids)
    if "matrices" in needs:
        from snt_youth.protect.matrix import list_matrices

        context["matrices"] = list_matrices()
    if "instrument" in needs:
        from snt_youth.screening.instrument import instrument_for

        if config is None:
            from snt_youth import config as config_module

            config = config_module.load()
        context["instrument"] = instrument_for(config)
    if "helplines" in needs:
        from snt_youth.printing.helplines import load_helplines

        helplines = load_helplines()
        context["helplines"] = helplines.helplines
        context["helplines_checked"] = helplines.last_checked
    return context


def _check_take_home(
    sheet: Worksheet, young_person: YoungPerson | None, take_home: bool, first_name: bool
) -> None:
    if take_home and not sheet.has_take_home:
        have = ", ".join(s.name for s in list_worksheets() if s.has_take_home) or "none"
        raise InvalidInput(
            f"The worksheet {sheet.name!r} has no take-home copy; worksheets that have one: {have}."
        )
    if not first_name:
        return
    if not take_home:
        raise InvalidInput(
            "The first name is a choice for the take-home copy only; "
            "the officer's copy always shows the case reference and known-as."
        )
    if young_person is None:
        raise InvalidInput("A first name needs a young person; say whose copy it is.")
    if not young_person.known_as:
        raise InvalidInput(
            f"{young_person.case_ref} has no first name (known-as) recorded, so the "
            "take-home copy can only be printed with no name."
        )


def _check_inputs(
    sheet: Worksheet, young_person: YoungPerson | None, session: Session | None, pages: Pages
) -> None:
    if pages not in PAGES:
        raise InvalidInput(f"pages should be one of {', '.join(PAGES)}, not {pages!r}.")
    if pages == "facilitator":
        if not sheet.has_facilitator_pages:
            raise InvalidInput(f"The worksheet {sheet.name!r} has no facilitator pages.")
        if young_person is not None or session is not None:
            raise InvalidInput(
                "The facilitator's guide is the same for everyone and never carries "
                "personal data; print it without a young person or session."
            )
    if young_person is not None and not sheet.needs_young_person:
        raise InvalidInput(
            f"The worksheet {sheet.name!r} has no place for a young person's details; "
            "print it without a young person."
        )
    if session is None:
        return
    if young_person is None:
        raise InvalidInput(
            "A worksheet prefilled from a session carries personal data; give the young "
            "person too, so the printout is marked."
        )
    if session.case_ref != young_person.case_ref:
        raise InvalidInput(
            f"Session {session.id} belongs to {session.case_ref}, not {young_person.case_ref}."
        )
    if "session" not in sheet.spec.needs or session.matrix_id != sheet.matrix_id:
        raise InvalidInput(
            f"The worksheet {sheet.name!r} cannot be prefilled from a session with the "
            f"matrix {session.matrix_id!r}."
        )


def marking_label(young_person: YoungPerson) -> str:
    """What the page header says about the young person: reference and known-as only."""
    if young_person.known_as:
        return f"{young_person.case_ref} ({young_person.known_as})"
    return young_person.case_ref


class PrintOptions(TypedDict, total=False):
    """The keyword options of :func:`prepare`, :func:`render_html` and :func:`render_pdf`."""

    young_person: YoungPerson | None
    session: Session | None
    cream: bool
    large_print: bool
    language: Language | None
    folder: Path | None
    config: Any
    pages: Pages
    take_home: bool
    first_name: bool


def prepare(
    name: str | Worksheet,
    *,
    young_person: YoungPerson | None = None,
    session: Session | None = None,
    cream: bool = False,
    large_print: bool = False,
    language: Language | None = None,
    folder: Path | None = None,
    config: Any = None,
    pages: Pages = "all",
    take_home: bool = False,
    first_name: bool = False,
) -> Prepared:
    """Render a worksheet's HTML and work out how to print it (no PDF yet)."""
    base = folder_path(folder)
    sheet = name if isinstance(name, Worksheet) else find_worksheet(name, base)
    _check_inputs(sheet, young_person, session, pages)
    _check_take_home(sheet, young_person, take_home, first_name)
    choice = choose_language(sheet, young_person, language)
    style = engine_module.PageStyle(sheet.audience, cream=cream, large_print=large_print)
    context = _context(
        sheet, choice, style, young_person, session, config, pages, take_home, first_name
    )
    html = templating.render(base, choice.template, context)
    return Prepared(
        worksheet=sheet,
        html=html,
        style=style,
        marking=marking_label(young_person) if young_person and not take_home else None,
        source=str(base / choice.template),
        folder=base,
        choice=choice,
        pages=pages,
        take_home=take_home,
        first_name=first_name,
        case_ref=young_person.case_ref if young_person else None,
    )


def audit_detail(prepared: Prepared) -> str | None:
    """What the audit says about a printout, or None when there is nothing to record.

    A worksheet printed for a young person is recorded (a read of personal data); one
    with a take-home copy also says which copy (see :func:`copy_detail`).
    """
    if prepared.case_ref is None:
        return None
    return copy_detail(prepared.worksheet, prepared.take_home, prepared.first_name)


def copy_detail(sheet: Worksheet, take_home: bool = False, first_name: bool = False) -> str | None:
    """The audit detail for a copy of ``sheet`` printed for a young person, or None.

    Every printout with a young person's details is a read of personal data, so it is
    always recorded; a worksheet with a take-home copy also records the copy chosen.
    The detail never holds the case reference (the event's record id does) or the
    first name.
    """
    if not sheet.has_take_home:
        return f"printed {sheet.name} with the young person's details"
    if not take_home:
        copy = "the officer's file copy, marked OFFICIAL-SENSITIVE"
    elif first_name:
        copy = "a take-home copy with the young person's first name, unmarked"
    else:
        copy = "a take-home copy with no name, unmarked"
    return f"printed {sheet.name}: {copy}"


def audit_print(book: Casebook, prepared: Prepared) -> None:
    """Record in the audit which copy of a worksheet was printed for a young person.

    Does nothing for a printout that :func:`audit_detail` says needs no record.
    """
    detail = audit_detail(prepared)
    if detail is not None and prepared.case_ref is not None:
        book.record_event("print", "young_person", prepared.case_ref, detail)


def render_html(name: str | Worksheet, **options: Unpack[PrintOptions]) -> str:
    """A worksheet as a standalone HTML page (the stylesheet and marking inlined).

    ``young_person`` adds the case reference and known-as (and the marking);
    ``session`` prefills a matrix worksheet. ``language`` overrides the young
    person's preference; a missing translation falls back to English (see
    :func:`choose_language` for the notice to show). ``pages`` picks the young
    person's pages, the facilitator's, or both (see the module docstring).
    """
    prepared = prepare(name, **options)
    return standalone_html(prepared)


def standalone_html(prepared: Prepared) -> str:
    """The HTML with the print stylesheet (and marking) added, for a browser."""
    css = engine_module.base_css(prepared.style)
    if prepared.marking is not None:
        css += engine_module.marking_css(prepared.marking)
        banner = f'<p class="snt-marking" style="font-weight:700">{engine_module.MARKING}</p>'
    else:
        banner = ""
    extra = f"<style>{css}</style>"
    html = prepared.html.replace("</head>", extra + "</head>", 1)
    if banner:
        start = html.find(">", html.find("<body")) + 1
        html = html[:start] + banner + html[start:]
    return html


_ENGINE: engine_module.Engine | None = None


def default_engine(folder: Path | None = None) -> engine_module.Engine:
    """The process's long-lived engine (fonts registered and stylesheets parsed once)."""
    global _ENGINE
    base = folder_path(folder)
    if _ENGINE is None or base not in _ENGINE.roots:
        _ENGINE = engine_module.Engine((base,))
    return _ENGINE


def pdf_from(prepared: Prepared) -> bytes:
    """The PDF of a prepared worksheet."""
    return default_engine(prepared.folder).pdf(
        prepared.html,
        base_url=prepared.folder,
        style=prepared.style,
        marking=prepared.marking,
        source=prepared.source,
    )


def render_pdf(name: str | Worksheet, **options: Unpack[PrintOptions]) -> bytes:
    """A worksheet as A4 PDF bytes. Arguments as for :func:`render_html`."""
    prepared = prepare(name, **options)
    return pdf_from(prepared)
