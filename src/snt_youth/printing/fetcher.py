"""Which files a worksheet may load while it is turned into a PDF.

A template is a file a champion edits, so it must not be able to pull any other
file on the machine into a printout. Only files inside the allowed folders (the
worksheets folder and the package fonts) and inline ``data:`` URLs are fetched;
anything else, including every web address, is refused.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from snt_youth.errors import ContentError

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


class RefusedURL(PermissionError):
    """A worksheet asked for a file or address it may not use."""


def refusal(exc: BaseException, source: str) -> ContentError:
    """One sentence for a fetch WeasyPrint stopped on (an image, a stylesheet, an attachment).

    WeasyPrint wraps the fetcher's refusal in ``FatalURLFetchingError``, which is a
    ``BaseException``; both layout and PDF writing turn it into this ``ContentError``.
    """
    cause = exc.__cause__ or exc
    return ContentError(
        source,
        "",
        f"cannot use a file it refers to ({cause}); "
        "keep pictures, CSS and attachments in the worksheets folder",
    )


def allowed_file(url: str, roots: Iterable[Path]) -> Path | None:
    """The local file ``url`` names if it is inside one of ``roots``; None for a data: URL.

    Raises :class:`RefusedURL` for anything else. Symbolic links and ``..`` are
    resolved first, so neither can lead outside.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None
    if scheme != "file":
        raise RefusedURL(f"{url} is not a file in the worksheets folder")
    if parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"{url} is on another machine")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    for root in roots:
        if path.is_relative_to(root.resolve()) and path.is_file():
            return path
    raise RefusedURL(f"{path} is outside the worksheets folder")


def make_fetcher(roots: tuple[Path, ...]) -> object:
    """A WeasyPrint URL fetcher that only fetches what :func:`allowed_file` allows.

    Refusals are fatal, so a template asking for a forbidden file fails loudly
    instead of printing without it.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> object:
            path = allowed_file(url, roots)
            if path is None:  # data: URL, handled by WeasyPrint itself
                return super().fetch(url, headers)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": kind}
            )

    return SafeFetcher(fail_on_errors=True, allowed_protocols=("file", "data"))
