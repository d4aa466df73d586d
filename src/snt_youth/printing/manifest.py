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
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal, cast

import attrs

from snt_youth.errors import ContentError
from snt_youth.model import Language

FORMAT_VERSION = 1
MANIFEST = "manifest.toml"
NEEDS = ("young-person", "session", "matrix", "matrices", "instrument", "helplines")
AUDIENCES = ("young-person", "officer")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = (
    "name",
    "title",
    "audience",
    "description",
    "needs",
    "templates",
    "matrix",
    "facilitator_pages",
)

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
    line: int = 0  # where the entry starts in the manifest, for error messages

    @property
    def per_matrix(self) -> bool:
        """True when the worksheet is offered once for each matrix."""
        return "matrix" in self.needs and self.matrix is None


def load_manifest(folder: Path) -> tuple[WorksheetSpec, ...]:
    """Read and check ``folder/manifest.toml``; the first problem raises ContentError."""
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "", "the manifest is missing; reinstall snt-youth") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "", f"cannot be read ({exc}); save it as UTF-8 text") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML ({exc})") from None
    return parse_manifest(raw, path, text)


def parse_manifest(raw: dict[str, Any], path: Path, text: str = "") -> tuple[WorksheetSpec, ...]:
    """Validate parsed manifest TOML; ``text`` (the file) lets errors give line numbers."""
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[worksheets]]"]
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ContentError(path, "format_version", f"add format_version = {FORMAT_VERSION}")
    if version > FORMAT_VERSION:
        raise ContentError(
            path,
            "format_version",
            f"version {version} is newer than this snt-youth understands "
            f"({FORMAT_VERSION}); upgrade snt-youth",
        )
    extra = set(raw) - {"format_version", "worksheets"}
    if extra:
        raise ContentError(path, "", f"unknown key(s) {', '.join(sorted(extra))}")
    entries = raw.get("worksheets")
    if not isinstance(entries, list) or not entries:
        raise ContentError(path, "worksheets", "add at least one [[worksheets]] table")
    specs: list[WorksheetSpec] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        line = starts[i] if i < len(starts) else 0
        where = f"worksheets[{i}]" + (f" (line {line})" if line else "")
        spec = _spec(entry, path, where, line)
        if spec.name in seen:
            raise ContentError(path, where, f"a second worksheet is called {spec.name!r}")
        seen.add(spec.name)
        for template in spec.templates.values():
            if not (path.parent / template).is_file():
                raise ContentError(path, where, f"template {template!r} is not in {path.parent}")
        specs.append(spec)
    return tuple(specs)


def _spec(entry: Any, path: Path, where: str, line: int) -> WorksheetSpec:
    def fail(key: str, problem: str) -> ContentError:
        return ContentError(path, f"{where}.{key}" if key else where, problem)

    if not isinstance(entry, dict):
        raise fail("", "should be a [[worksheets]] table")
    unknown = set(entry) - set(_KEYS)
    if unknown:
        raise fail("", f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(_KEYS)}")

    def text(key: str, required: bool = True) -> str:
        value = entry.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise fail(key, "missing or not text; write it in quotes")
        return value.strip()

    name = text("name")
    if not _NAME.match(name):
        raise fail("name", f"{name!r} should use lower-case letters, digits and hyphens")
    audience = text("audience")
    if audience not in AUDIENCES:
        raise fail("audience", f"{audience!r} should be one of: {', '.join(AUDIENCES)}")
    needs = entry.get("needs", [])
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise fail("needs", 'should be a list such as ["young-person", "helplines"]')
    for need in needs:
        if need not in NEEDS:
            raise fail("needs", f"unknown need {need!r}; use any of: {', '.join(NEEDS)}")
    if "session" in needs and "matrix" not in needs:
        raise fail("needs", 'a worksheet that needs "session" needs "matrix" too')
    templates = entry.get("templates")
    if not isinstance(templates, dict) or not templates:
        raise fail("templates", 'should be a table such as { en = "my-sheet.en.html" }')
    by_language: dict[Language, str] = {}
    for code, file in templates.items():
        try:
            language = Language(code)
        except ValueError:
            codes = ", ".join(lang.value for lang in Language)
            raise fail("templates", f"unknown language {code!r}; use {codes}") from None
        if not isinstance(file, str) or "/" in file or "\\" in file or file.startswith("_"):
            raise fail(f"templates.{code}", "should be the file name of a template in this folder")
        by_language[language] = file
    if Language.ENGLISH not in by_language:
        raise fail("templates", "an English template (en) is needed")
    matrix = entry.get("matrix")
    if matrix is not None and (not isinstance(matrix, str) or "matrix" not in needs):
        raise fail("matrix", 'should be a matrix id, with "matrix" in needs')
    facilitator_pages = entry.get("facilitator_pages", False)
    if not isinstance(facilitator_pages, bool):
        raise fail("facilitator_pages", "should be true or false, without quotes")
    return WorksheetSpec(
        name=name,
        title=text("title"),
        audience=cast(Audience, audience),
        templates=by_language,
        needs=frozenset(needs),
        description=text("description", required=False),
        matrix=matrix,
        facilitator_pages=facilitator_pages,
        line=line,
    )
