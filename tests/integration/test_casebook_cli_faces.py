"""The CLI drives the Casebook's named transitions, search and ethnicity words."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from snt_youth.cli import cli

Run = Callable[..., Result]


@pytest.fixture
def run(sqlite_url: str) -> Run:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--db", sqlite_url, *args], catch_exceptions=False)

    return invoke


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def test_support_transitions_from_the_cli(run: Run) -> None:
    ok(run("young-person", "add", "YJ-7", "--dob", "2010-02-02", "--team", "north"))
    made = json.loads(
        ok(run("support", "offer", "YJ-7", "--service", "young-people-idva", "--stage",
               "pre-court", "--json"))
    )  # fmt: skip
    offer = str(made["id"])
    assert "accepted" in ok(run("support", "accept", offer))
    assert "started" in ok(run("support", "start", offer))
    assert "0 sessions, 3 contacts" in ok(run("support", "contact", offer, "--count", "3"))
    ended = json.loads(ok(run("support", "end", offer, "--reason", "disengaged", "--json")))
    assert ended["end_reason"] == "disengaged" and ended["contacts"] == 3
    again = run("support", "decline", offer)
    assert again.exit_code == 2 and "declined cannot have started" in again.output
    actions = [e["action"] for e in json.loads(ok(run("audit", "--json")))]
    assert actions[-4:] == ["accept", "start", "contact", "end"]


def test_search_and_short_ethnicity_from_the_cli(run: Run) -> None:
    ok(run("young-person", "add", "YJ-8", "--dob", "2010-02-02", "--team", "north",
           "--ethnicity", "Black", "--known-as", "Kai"))  # fmt: skip
    ok(run("young-person", "add", "AB-9", "--dob", "2010-02-02", "--team", "north"))
    found = json.loads(ok(run("young-person", "list", "--search", "kai", "--json")))
    assert [r["case_ref"] for r in found] == ["YJ-8"]
    shown = json.loads(ok(run("young-person", "show", "YJ-8", "--json")))
    assert shown["person"]["ethnicity"] == "Black, Black British, Caribbean or African"
    bad = run("young-person", "add", "YJ-10", "--dob", "2010-02-02", "--team", "north",
              "--ethnicity", "Martian")  # fmt: skip
    assert bad.exit_code == 2 and "Ethnicity group 'Martian' is not one of" in bad.output


def test_session_without_an_offer_names_the_open_offers(run: Run, tmp_path: Path) -> None:
    ok(run("young-person", "add", "YJ-9", "--dob", "2010-02-02", "--team", "north"))
    made = json.loads(
        ok(run("support", "offer", "YJ-9", "--service", "protective-adult", "--stage",
               "pre-court", "--json"))
    )  # fmt: skip
    entries = tmp_path / "entries.json"
    entries.write_text(
        json.dumps({"format": "snt-youth/session-entries", "format_version": 1, "entries": []})
    )
    out = ok(run("session", "record", "YJ-9", "--matrix", "who-kept-me-safe",
                 "--entries", str(entries)))  # fmt: skip
    assert f"Open offers it could count for: {made['id']} (protective-adult)." in out
