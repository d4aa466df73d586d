"""The documented paper-screening and session commands run as written, with no JSON file.

Every ``$ snt-youth screening record ...`` and ``$ snt-youth session record ...`` line in a
``console`` block of docs/screening.md and docs/direct-work.md that names a real young
person (not a placeholder such as REF) is run here on a fresh database, so the docs
cannot drift from the command line again.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import snt_youth
from snt_youth import model
from snt_youth.cli import cli

DOCS = Path(__file__).resolve().parents[2] / "docs"
_BLOCK = re.compile(r"```console\n(.*?)```", re.S)
RUN_PREFIXES = ("snt-youth screening record YJ-", "snt-youth session record YJ-")


def documented_commands(name: str) -> list[list[str]]:
    """The runnable example commands of one doc page, each as its arguments."""
    found = []
    for block in _BLOCK.findall((DOCS / name).read_text(encoding="utf-8")):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            command = line.removeprefix("$ ").strip()
            if line.startswith("$ ") and command.startswith(RUN_PREFIXES):
                found.append(shlex.split(command)[1:])
    return found


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'docs.sqlite3'}"
    monkeypatch.setenv("SNT_YOUTH_DB", url)
    with snt_youth.open(url, user="test.officer") as book:
        book.add_young_person("YJ-2041", dt.date(2010, 5, 14), "north", known_as="Kai")
    return url


def test_each_page_has_an_example_to_run() -> None:
    assert len(documented_commands("screening.md")) == 1
    assert len(documented_commands("direct-work.md")) == 1


def test_the_documented_paper_screening_is_stored(db: str) -> None:
    (args,) = documented_commands("screening.md")
    assert "--answers" not in args  # no JSON file needed
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with snt_youth.open(db, user="test.officer") as book:
        (stored,) = book.screenings("YJ-2041")
    assert stored.status is model.ScreeningStatus.COMPLETE
    assert stored.stage is model.Stage.PRE_COURT
    assert stored.answers["home-scare"] == "yes-before"
    assert stored.answers["home-control"] == "not-sure"  # never "no"
    assert stored.outcome is not None and stored.outcome.home is model.HomeAbuse.PAST


def test_the_documented_session_is_stored(db: str) -> None:
    (args,) = documented_commands("direct-work.md")
    assert "--entries" not in args
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "(3 entries)" in result.output
    with snt_youth.open(db, user="test.officer") as book:
        (stored,) = book.sessions("YJ-2041")
    assert [(e.person, e.domain) for e in stored.entries] == [
        ("Mum", "safe"),
        ("Mum", "cared"),
        ("my teacher", "steady"),
    ]
    assert stored.entries[0].words == "She took me to Nan's when it got loud."
    assert stored.reflection == "Mum did a lot more than I thought."
    assert stored.protective_adult_identified


def test_answers_as_options_refuse_a_bad_pair_and_a_missing_answer(db: str) -> None:
    bad = CliRunner().invoke(
        cli, ["screening", "record", "YJ-2041", "--stage", "pre-court", "--answer", "home-hurt"]
    )
    assert bad.exit_code == 2 and "ITEM=RESPONSE" in bad.output
    short = CliRunner().invoke(
        cli,
        ["screening", "record", "YJ-2041", "--stage", "pre-court", "--answer", "home-hurt=n"],
    )
    assert short.exit_code == 2
    assert "Nothing was stored" in short.output and "Traceback" not in short.output
    with snt_youth.open(db, user="test.officer") as book:
        assert book.screenings("YJ-2041") == []


def test_no_answers_and_no_terminal_says_how_to_give_them(db: str) -> None:
    result = CliRunner().invoke(cli, ["screening", "record", "YJ-2041", "--stage", "pre-court"])
    assert result.exit_code == 2
    assert "--answer ITEM=RESPONSE" in result.output


def test_answers_asked_in_turn_in_a_terminal(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from snt_youth.cli import screening as screening_cli

    monkeypatch.setattr(screening_cli, "_interactive", lambda: True)
    # Eight home questions "n", no partner, no danger, no safe place; then the action.
    keys = ["n"] * 8 + ["n", "n", "n", "n", "Told the duty manager"]
    result = CliRunner().invoke(
        cli, ["screening", "record", "YJ-2041", "--stage", "post-court"], input="\n".join(keys)
    )
    assert result.exit_code == 0, result.output
    assert "safety concern" in result.output
    with snt_youth.open(db, user="test.officer") as book:
        (stored,) = book.screenings("YJ-2041")
    assert stored.safety_action == "Told the duty manager"
    assert stored.answers["safe-place"] == "no"


def test_a_session_entry_needs_person_and_column(db: str) -> None:
    result = CliRunner().invoke(
        cli, ["session", "record", "YJ-2041", "--matrix", "who-kept-me-safe", "--entry", "Mum"]
    )
    assert result.exit_code == 2 and "PERSON:COLUMN:WORDS" in result.output
    one = CliRunner().invoke(
        cli,
        ["session", "record", "YJ-2041", "--matrix", "who-kept-me-safe", "--entry", "Nan:safe"],
    )
    assert one.exit_code == 0, one.output
    assert "(1 entry)" in one.output
