"""Users on SQLite: the single officer works as before; named users are rows; names
with control characters are refused; reads of personal data are audited."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import snt_youth
from snt_youth.cli import cli
from snt_youth.errors import InvalidInput


def _run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    return result.exit_code, result.output


def test_single_officer_works_as_before(sqlite_url: str) -> None:
    assert _run(sqlite_url, "init")[0] == 0
    code, out = _run(
        sqlite_url,
        "young-person",
        "add",
        "YJ-2041",
        "--dob",
        "2009-05-14",
        "--team",
        "north",
        "--known-as",
        "Kai",
    )
    assert code == 0, out
    code, out = _run(sqlite_url, "whoami")
    assert code == 0
    assert out.splitlines() == [
        "You are test.officer.",
        "Role: the only user of this file.",
        "You see: every team.",
    ]
    code, out = _run(sqlite_url, "young-person", "move", "YJ-2041", "--team", "south")
    assert code == 0 and "Moved YJ-2041 from team north to team south." in out
    with snt_youth.open(sqlite_url) as book:
        last = book.audit_trail()[-1]
    assert (last.user, last.action, last.detail) == ("test.officer", "move", "from north to south")


@pytest.mark.parametrize("name", ["a\nb", "x\x1b[31m", "tab\there", "bell\x07"])
def test_a_user_name_with_a_control_character_is_refused(sqlite_url: str, name: str) -> None:
    with pytest.raises(InvalidInput, match="control character"):
        snt_youth.open(sqlite_url, user=name)
    code, out = _run(sqlite_url, "--user", name, "young-person", "list")
    assert code == 2 and "control character" in out


def test_named_users_on_sqlite(sqlite_url: str) -> None:
    code, out = _run(
        sqlite_url, "admin", "user", "add", "r.ahmed", "--role", "officer", "--team", "north"
    )
    assert code == 0 and "Added r.ahmed (officer; north)." in out
    assert _run(
        sqlite_url, "admin", "user", "add", "r.ahmed", "--role", "officer", "--team", "north"
    )[1].endswith("There is already a user 'r.ahmed'.\n")
    code, out = _run(sqlite_url, "admin", "user", "add", "j.smith", "--role", "officer")
    assert code == 2 and "needs at least one team" in out
    code, out = _run(sqlite_url, "admin", "user", "add", "Bad Name", "--role", "manager")
    assert code == 2 and "is not usable" in out
    assert (
        _run(sqlite_url, "admin", "user", "teams", "r.ahmed", "--team", "south", "--team", "north")[
            0
        ]
        == 0
    )
    code, out = _run(sqlite_url, "admin", "user", "list")
    assert out.split() == ["r.ahmed", "officer", "north,", "south", "r.ahmed"]
    code, out = _run(sqlite_url, "--user", "r.ahmed", "whoami")
    assert "Role: officer." in out and "You see: north, south." in out
    code, out = _run(
        sqlite_url,
        "--user",
        "r.ahmed",
        "young-person",
        "add",
        "YJ-1",
        "--dob",
        "2010-01-01",
        "--team",
        "east",
    )
    assert code == 2 and "only to your own teams (north, south)" in out
    assert _run(sqlite_url, "admin", "user", "disable", "r.ahmed")[0] == 0
    assert "(disabled)" in _run(sqlite_url, "admin", "user", "list")[1]


def test_showing_a_young_person_is_audited_as_a_read(sqlite_url: str) -> None:
    with snt_youth.open(sqlite_url) as book:
        book.add_young_person("YJ-1", dt.date(2010, 3, 1), "north")
    assert _run(sqlite_url, "young-person", "show", "yj-1")[0] == 0
    with snt_youth.open(sqlite_url) as book:
        last = book.audit_trail()[-1]
        book.record_read("young_person", "YJ-1", "subject access copy")
        again = book.audit_trail()[-1]
    assert (last.action, last.record_id, last.detail) == (
        "read",
        "YJ-1",
        "shown: details and timeline",
    )
    assert (again.action, again.detail) == ("read", "subject access copy")


def test_the_app_header_shows_a_named_user(sqlite_url: str, tmp_path: Path) -> None:
    from snt_youth.tui.app import create_app

    with snt_youth.open(sqlite_url) as book:
        book.add_user("r.ahmed", "champion", ["north", "iss"])
    with snt_youth.open(sqlite_url, user="r.ahmed") as book:
        app = create_app(book, output_dir=tmp_path)

        async def run() -> str:
            async with app.run_test(size=(120, 40)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                return str(app.sub_title)

        assert asyncio.run(run()) == "r.ahmed, champion: iss, north"
    with snt_youth.open(sqlite_url) as book:
        single = create_app(book, output_dir=tmp_path)

        async def run_single() -> str:
            async with single.run_test(size=(120, 40)) as pilot:
                await single.workers.wait_for_complete()
                await pilot.pause()
                return str(single.sub_title)

        assert asyncio.run(run_single()) == ""
