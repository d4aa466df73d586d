"""Worksheets cannot reach outside their folder: not by a link, not by an attachment.

Real files and real symbolic links in a copy of the shipped worksheets folder; the
PDF is really written by WeasyPrint.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from snt_youth import locations
from snt_youth.errors import ContentError
from snt_youth.printing import worksheets

SECRET = "SYSTEM-FILE-CONTENTS-7f3a"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "worksheets"
    shutil.copytree(locations.worksheets_dir(), target)
    return target


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "passwd"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def _add_to_safety_plan(folder: Path, markup: str) -> None:
    template = folder / "safety-plan.en.html"
    text = template.read_text(encoding="utf-8")
    assert "{% block content %}" in text
    template.write_text(
        text.replace("{% block content %}", "{% block content %}" + markup, 1), encoding="utf-8"
    )


def test_include_of_a_symlink_pointing_outside_is_refused(folder: Path, outside: Path) -> None:
    (folder / "leak.html").symlink_to(outside)
    _add_to_safety_plan(folder, '{% include "leak.html" %}')
    with pytest.raises(ContentError) as caught:
        worksheets.render_html("safety-plan", folder=folder)
    message = str(caught.value)
    assert "'leak.html' leads outside the worksheets folder" in message
    assert "safety-plan.en.html, line" in message
    assert SECRET not in message
    assert message.count(".") >= 1 and "\n" not in message


def test_a_template_that_is_itself_a_link_outside_is_refused(folder: Path, outside: Path) -> None:
    template = folder / "safety-plan.en.html"
    template.unlink()
    template.symlink_to(outside)
    with pytest.raises(ContentError, match="leads outside the worksheets folder"):
        worksheets.render_pdf("safety-plan", folder=folder)


def test_a_link_inside_the_folder_still_works(folder: Path) -> None:
    (folder / "part.html").write_text("<p>Inside the folder</p>", encoding="utf-8")
    (folder / "alias.html").symlink_to(folder / "part.html")
    _add_to_safety_plan(folder, '{% include "alias.html" %}')
    assert "Inside the folder" in worksheets.render_html("safety-plan", folder=folder)


def test_the_include_really_leaked_without_the_check(folder: Path, outside: Path) -> None:
    """The attack is real: a plain Jinja loader follows the link and prints the file."""
    import jinja2

    (folder / "leak.html").symlink_to(outside)
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)))
    assert SECRET in plain.get_template("leak.html").render()


@pytest.mark.parametrize(
    "markup",
    [
        '<a rel="attachment" href="{url}">notes</a>',
        '<link rel="attachment" href="{url}">',
    ],
)
def test_a_pdf_attachment_from_outside_is_one_sentence(
    folder: Path, outside: Path, markup: str
) -> None:
    _add_to_safety_plan(folder, markup.format(url=outside.as_uri()))
    with pytest.raises(ContentError) as caught:
        worksheets.render_pdf("safety-plan", folder=folder)
    message = str(caught.value)
    assert "is outside the worksheets folder" in message
    assert "keep pictures, CSS and attachments in the worksheets folder" in message


def test_a_pdf_attachment_through_a_symlink_is_refused(folder: Path, outside: Path) -> None:
    (folder / "notes.txt").symlink_to(outside)
    _add_to_safety_plan(folder, '<a rel="attachment" href="notes.txt">notes</a>')
    with pytest.raises(ContentError, match="is outside the worksheets folder"):
        worksheets.render_pdf("safety-plan", folder=folder)
