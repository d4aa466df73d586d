"""The worksheet manifest: which worksheets exist, who reads them, and what they need.

``worksheets/manifest.toml`` lists every worksheet, so a champion can add one by
writing a template and a few lines here, with no code::

    format_version = 1

    [[worksheets]]
    name = "safety-plan"                  # what people type: snt-youth worksheet render safety-plan
    title = "My safety plan"
    audience = "young-person"             # young-person (14 pt or more) or officer (12 pt or more)
    description = "A plan the young person fills in: people, places, helplines."
    needs = ["young-person", "helplines"]
    templates = { en = "safety-plan.en.html" }   # one template per language: en, cy

``needs`` says what data the template is given:

- ``young-person``: the case reference and known-as, when asked for (``--young-person``).
  Without it a worksheet never carries personal data.
- ``session``: the young person's last recorded session with the worksheet's matrix.
- ``matrix``: a matrix. The worksheet is offered once per matrix, named
  ``NAME:MATRIX-ID``, unless ``matrix = "ID"`` pins it to one.
- ``matrices``: every matrix (for example to tick which one a session used).
- ``instrument``: the service's current screening instrument.
- ``helplines``: the helplines and the date they were last checked.

``facilitator_pages = true`` says the template has pages for the facilitator inside
``{% if parts.facilitator %}``. They are the same for every young person and carry no
personal data, so a batch prints them once, as a separate guide, and gives each young
person only the pages inside ``{% if parts.young_person %}``.

``take_home = true`` says the worksheet has a take-home copy: a copy the young person
takes away, printed with no case reference and no marking, and with their first name
only if they want it (see :mod:`snt_youth.printing.worksheets`). Only a worksheet that
``needs`` "young-person" and is for young people can have one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, cast

import attrs

from snt_youth import content
from snt_youth.model import Language

FORMAT_VERSION = 1
MANIFEST = "manifest.toml"
NEEDS = ("young-person", "session", "matrix", "matrices", "instrument", "helplines")
AUDIENCES = ("young-person", "officer")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

Audience = Literal["young-person", "officer"]


@attrs.frozen
class WorksheetSpec:
    """One ``[[worksheets]]`` entry of the manifest, validated."""

    name: str
    title: str
    audience: Audience
    templates: dict[Language, str]
    needs: frozenset[str] = frozenset()
    description: str = ""
    matrix: str | None = None
    facilitator_pages: bool = False
    take_home: bool = False
    line: int = 0  # where the entry starts in the manifest, for error messages

    @property
    def per_matrix(self) -> bool:
        """True when the worksheet is offered once for each matrix."""
        return "matrix" in self.needs and self.matrix is None


@attrs.frozen(kw_only=True)
class _TemplateName(content.Text):
    """The file name of a template in the worksheets folder (no folders, no partials)."""

    def check(self, value: object, at: content.At) -> str:
        name = super().check(value, at)
        if "/" in name or "\\" in name or name.startswith("_"):
            at.fail("should be the file name of a template in this folder")
        return name


_LANGUAGES = tuple(language.value for language in Language)
_ENTRY = content.Table(
    fields={
        "name": content.ident(_NAME, "use lower-case letters, digits and hyphens"),
        "title": content.Text(collapse=False),
        "audience": content.Text(choices=AUDIENCES, noun="audience"),
        "description": content.Text(collapse=False, allow_empty=True, default=""),
        "needs": content.ListOf(item=content.Text(choices=NEEDS, noun="need"), default=()),
        "templates": content.Table(
            values=_TemplateName(collapse=False),
            keys=content.Text(choices=_LANGUAGES, noun="language"),
        ),
        "matrix": content.Text(default=None),
        "facilitator_pages": content.Boolean(default=False),
        "take_home": content.Boolean(default=False),
    }
)
_FILE = content.Table(
    fields={
        "format_version": content.FormatVersion(current=FORMAT_VERSION),
        "worksheets": content.ListOf(
            item=_ENTRY,
            min_items=1,
            unique="name",
            noun="worksheet",
            missing="add at least one [[worksheets]] table",
        ),
    }
)


def load_manifest(folder: Path) -> tuple[WorksheetSpec, ...]:
    """Read and check ``folder/manifest.toml``; the first problem raises ContentError.

    Reused until the manifest changes.
    """
    return content.cached(folder / MANIFEST, _read)


def _read(path: Path) -> tuple[WorksheetSpec, ...]:
    document = content.read_file(
        path, "toml", missing="the manifest is missing; reinstall snt-youth"
    )
    return _build(document, path)


def parse_manifest(raw: dict[str, Any], path: Path, text: str = "") -> tuple[WorksheetSpec, ...]:
    """Validate parsed manifest TOML; ``text`` (the file) lets errors give line numbers."""
    return _build(content.toml_document(raw, str(path), text), path)


def _build(document: content.Document, path: Path) -> tuple[WorksheetSpec, ...]:
    values = _FILE.check(document.data, document.at)
    return tuple(_spec(entry, path.parent) for entry in values["worksheets"])


def _spec(entry: content.Values, folder: Path) -> WorksheetSpec:
    at = entry.at
    needs: tuple[str, ...] = entry["needs"]
    if "session" in needs and "matrix" not in needs:
        at.key("needs").fail('a worksheet that needs "session" needs "matrix" too')
    templates = {Language(code): file for code, file in entry["templates"].items()}
    if not templates:
        at.key("templates").fail('should be a table such as { en = "my-sheet.en.html" }')
    if Language.ENGLISH not in templates:
        at.key("templates").fail("an English template (en) is needed")
    for file in templates.values():
        if not (folder / file).is_file():
            at.key("templates").fail(f"template {file!r} is not in {folder}")
    if entry["matrix"] is not None and "matrix" not in needs:
        at.key("matrix").fail('should be a matrix id, with "matrix" in needs')
    if entry["take_home"] and (entry["audience"] != "young-person" or "young-person" not in needs):
        at.key("take_home").fail(
            'only a worksheet for young people that needs "young-person" has a take-home copy'
        )
    return WorksheetSpec(
        name=entry["name"],
        title=entry["title"],
        audience=cast(Audience, entry["audience"]),
        templates=templates,
        needs=frozenset(needs),
        description=entry["description"],
        matrix=entry["matrix"],
        facilitator_pages=entry["facilitator_pages"],
        take_home=entry["take_home"],
        line=at.line,
    )
