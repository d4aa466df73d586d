"""Jinja2 for worksheet templates: autoescaped, sandboxed, strict, with clear errors.

Champions edit these templates, and a young person's words go into them, so:

- autoescape is always on: ``<``, ``&``, ``{{`` and emoji in someone's words print as
  they are and are never read as markup or template code;
- the sandbox stops a template from reaching into Python;
- an unknown variable is an error rather than a silent blank;
- the loader refuses any template that resolves (through a symbolic link or ``..``)
  outside the worksheets folder, so an ``{% include %}`` cannot print a system file;
- any problem becomes one :class:`ContentError` naming the template file and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from snt_youth.errors import ContentError


def environment(folder: Path) -> jinja2.Environment:
    """The (cached) Jinja2 environment for templates in ``folder``."""
    return _environment(str(folder.resolve()))


class FolderLoader(jinja2.FileSystemLoader):
    """A file loader that only loads templates whose real path is inside its folder."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder, encoding="utf-8")
        self.root = Path(folder).resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """The template's source, after checking where the file really is."""
        # Look before reading: a link to a system file must not even be opened.
        # (split_template_path refuses ".." itself.)
        named = self.root.joinpath(*jinja2.loaders.split_template_path(template))
        real = named.resolve()
        if named.exists() and not real.is_relative_to(self.root):
            raise ContentError(
                named,
                "",
                f"the template {template!r} leads outside the worksheets folder (it is a "
                "link to a file elsewhere); keep every template, and anything it includes, "
                "inside the folder",
            )
        return super().get_source(environment, template)


@cache
def _environment(folder: str) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(
        loader=FolderLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters["long_date"] = long_date
    return env


def long_date(value: dt.date | None) -> str:
    """A date as people write it: 3 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def render(folder: Path, template: str, context: Mapping[str, Any]) -> str:
    """Render ``template`` from ``folder``; any template problem is a ContentError."""
    env = environment(folder)
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or str(folder / (exc.name or template))
        raise ContentError(where, f"line {exc.lineno}", _sentence(exc.message)) from None
    except jinja2.TemplateNotFound as exc:
        raise ContentError(folder / template, "", f"template {exc.name!r} not found") from None
    except ContentError as exc:  # an include the loader refused: name the line that asked
        found, line = _template_frame(exc.__traceback__, folder)
        if found is None:
            raise
        raise ContentError(found, f"line {line}", exc.problem) from None
    except Exception as exc:
        found, line = _template_frame(exc.__traceback__, folder)
        if found is None:
            raise
        problem = _sentence(str(exc) or type(exc).__name__)
        raise ContentError(found, f"line {line}", problem) from None


def _template_frame(tb: TracebackType | None, folder: Path) -> tuple[str | None, int]:
    """The innermost traceback frame that is a template line (Jinja rewrites them so)."""
    found: tuple[str | None, int] = (None, 0)
    root = str(folder.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(root) and filename.endswith((".html", ".css", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _sentence(message: str | None) -> str:
    text = (message or "template error").strip().rstrip(".")
    return f"{text}; fix the template and try again"
