"""A young person's subject access copy as a PDF they and their family can read.

Plain words, large print, left aligned, with the officer's wording and the young
person's wording labelled. Marked OFFICIAL-SENSITIVE at the top and foot of every
page (it holds personal data). WeasyPrint is imported only when a PDF is made, and
the template can fetch nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from snt_youth import codec, model
from snt_youth.errors import NotFound
from snt_youth.printing import engine
from snt_youth.private_files import write_private

if TYPE_CHECKING:
    from snt_youth.casebook.subject_access import SubjectAccess
    from snt_youth.config import ServiceConfig

TEMPLATES = Path(__file__).resolve().parent / "templates" / "sar"
TEMPLATE = "sar.html.j2"

#: What the young person said to an offer, in their words.
RESPONSE_WORDS = {
    model.OfferResponse.NO_RESPONSE: "You have not said yet",
    model.OfferResponse.ACCEPTED: "Yes",
    model.OfferResponse.DECLINED: "No, thank you",
}
LANGUAGE_WORDS = {model.Language.ENGLISH: "English", model.Language.WELSH: "Welsh"}


def _refuse_fetch(url: str, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the subject access template may not load {url}")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES), encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _team_name(config: ServiceConfig | None, team_id: str) -> str:
    if config is None:
        return team_id
    try:
        return config.team(team_id).name
    except NotFound:  # a team since taken out of the configuration
        return team_id


def render_sar_html(copy: SubjectAccess, config: ServiceConfig | None = None) -> str:
    """The subject access copy as HTML (what the PDF is made from)."""
    template = _environment().get_template(TEMPLATE)
    return template.render(
        copy=copy,
        service=copy.service or "the service",
        made_on=copy.made_at.strftime("%d %B %Y").lstrip("0"),
        team=_team_name(config, copy.person.team),
        language=LANGUAGE_WORDS.get(copy.person.language, copy.person.language.value),
        response={o.offer.id: RESPONSE_WORDS[o.offer.response] for o in copy.offers},
    )


def render_sar_pdf(copy: SubjectAccess, config: ServiceConfig | None = None) -> bytes:
    """The subject access copy as PDF bytes (imports WeasyPrint on first use)."""
    weasyprint = engine.weasyprint()
    html = weasyprint.HTML(
        string=render_sar_html(copy, config), base_url=str(TEMPLATES), url_fetcher=_refuse_fetch
    )
    pdf: bytes = html.write_pdf()
    return pdf


def sar_json(copy: SubjectAccess) -> str:
    """The subject access copy as JSON for the information governance team."""

    def default(value: object) -> str:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return json.dumps(codec.unstructure(copy), indent=2, ensure_ascii=False, default=default)


def write_sar(copy: SubjectAccess, path: str | Path, config: ServiceConfig | None = None) -> Path:
    """Write the copy to ``path``: PDF for a ``.pdf`` name, JSON for ``.json``.

    Private (0600), all at once, and one clear sentence if it cannot be written.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return write_private(path, render_sar_pdf(copy, config))
    if suffix == ".json":
        return write_private(path, sar_json(copy) + "\n")
    raise ValueError(f"a subject access copy is written as .pdf or .json, not {suffix!r}")


__all__ = ["render_sar_html", "render_sar_pdf", "sar_json", "write_sar"]
