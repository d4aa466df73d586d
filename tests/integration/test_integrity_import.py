"""Bad imports, audit of what happened, all-or-nothing demo, and upgrades that refuse.

An import meets the same rules as typed input, row by row, and is refused whole with
one line naming the table, the row and the field. An export is audited only once its
file is in place. A demo that fails half way leaves nothing. An upgrade that would
have to change or drop stored rows to add a constraint is refused, naming the rows.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

import snt_youth
from snt_youth import demo
from snt_youth.cli import cli
from snt_youth.errors import FormatError, StorageError, WriteError
from snt_youth.store import Store
from snt_youth.store.engine import MIGRATIONS_DIR


@pytest.fixture
def exported(sqlite_url: str) -> dict[str, Any]:
    with snt_youth.open(sqlite_url) as book:
        book.add_young_person("YJ-1", dt.date(2010, 3, 1), "north", known_as="Kai")
        book.add_note("YJ-1", "Met at school.")
        book.start_screening("YJ-1", "pre-court")
        return book.export_backup()


def _import_refused(tmp_path: Path, data: dict[str, Any], *match: str) -> None:
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    with snt_youth.open(target) as book:
        with pytest.raises(FormatError) as refused:
            book.import_backup(json.loads(json.dumps(data)), source="b.json")
        message = str(refused.value)
        assert "\n" not in message
        for part in match:
            assert part in message, message
        assert message.endswith("Nothing was imported.")
        assert book.is_empty()
        assert book.audit_trail() == []
        assert book.imported_audit_trail() == []


@pytest.mark.parametrize(
    ("table", "field", "value", "said"),
    [
        ("young_people", "known_as", "Kai Smith", "first name or initials"),
        ("young_people", "gender", "martian", "Gender 'martian' is not one of"),
        ("young_people", "date_of_birth", "2099-01-01", "in the future"),
        ("young_people", "team", "atlantis", "Unknown team"),
        ("young_people", "case_ref", "YJ 1 <b>", "is not valid"),
        ("case_notes", "text", "<script>alert(1)</script>", "HTML"),
        ("case_notes", "text", '=HYPERLINK("http://x","click")', "formula"),
        ("screenings", "stage", "mid-court", "Stage 'mid-court'"),
        ("screenings", "home", "lots", "home 'lots'"),
    ],
)
def test_import_is_refused_whole_naming_table_row_and_field(
    tmp_path: Path, exported: dict[str, Any], table: str, field: str, value: str, said: str
) -> None:
    data = copy.deepcopy(exported)
    data["tables"][table][0][field] = value
    _import_refused(tmp_path, data, f"b.json: {table} row 1, {field}: ", said)


def test_import_refuses_a_second_reference_in_another_case(
    tmp_path: Path, exported: dict[str, Any]
) -> None:
    data = copy.deepcopy(exported)
    twin = {**data["tables"]["young_people"][0], "id": 2, "case_ref": "yj-1"}
    data["tables"]["young_people"].append(twin)
    _import_refused(tmp_path, data, "young_people row 2, case_ref: ", "already")


def test_import_refuses_a_second_draft(tmp_path: Path, exported: dict[str, Any]) -> None:
    data = copy.deepcopy(exported)
    second = {**data["tables"]["screenings"][0], "id": 2}
    data["tables"]["screenings"].append(second)
    _import_refused(tmp_path, data, "screenings row 2, status: ", "at most one draft")


def test_import_refuses_unknown_top_level_keys(tmp_path: Path, exported: dict[str, Any]) -> None:
    data = {**exported, "extra": 1}
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    with snt_youth.open(target) as book, pytest.raises(FormatError, match="extra"):
        book.import_backup(data)


def test_imported_history_is_kept_apart_and_marked(
    tmp_path: Path, exported: dict[str, Any]
) -> None:
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    with snt_youth.open(target) as book:
        book.import_backup(exported, source="b.json")
        local = book.audit_trail()
        imported = book.imported_audit_trail()
    assert [e.action for e in local] == ["import"]
    assert "kept as imported" in local[0].detail
    assert [e.id for e in imported] == [e["id"] for e in exported["tables"]["audit_events"]]
    assert all("[imported from b.json, exported " in e.detail for e in imported)
    runner = CliRunner()
    shown = runner.invoke(cli, ["--db", target, "audit", "--imported"])
    assert shown.exit_code == 0
    assert "imported from b.json" in shown.output


def test_cli_import_of_a_bad_row_is_one_sentence(tmp_path: Path, exported: dict[str, Any]) -> None:
    data = copy.deepcopy(exported)
    data["tables"]["young_people"][0]["known_as"] = "Kai Smith"
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data))
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    result = CliRunner().invoke(cli, ["--db", target, "import", str(file)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert "young_people row 1, known_as" in result.output
    assert "Traceback" not in result.output


def test_export_is_audited_only_once_the_file_is_written(tmp_path: Path, sqlite_url: str) -> None:
    with snt_youth.open(sqlite_url) as book:
        book.add_young_person("YJ-1", dt.date(2010, 3, 1), "north")
        before = len(book.audit_trail())
        with pytest.raises(WriteError):
            book.save_backup(tmp_path / "no-such-folder" / "backup.json")
        assert len(book.audit_trail()) == before  # a failed write is not audited
        written = book.save_backup(tmp_path / "backup.json")
        assert written.exists()
        events = book.audit_trail()
        assert [e.action for e in events[before:]] == ["export"]
        assert str(tmp_path / "backup.json") in events[-1].detail
    result = CliRunner().invoke(
        cli, ["--db", sqlite_url, "export", "-o", str(tmp_path / "missing" / "b.json")]
    )
    assert result.exit_code == 2
    with snt_youth.open(sqlite_url) as book:
        assert [e.action for e in book.audit_trail()].count("export") == 1


def test_a_demo_that_fails_half_way_leaves_nothing(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with snt_youth.open(sqlite_url) as book:
        calls = []
        real = book.add_note

        def failing(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            if len(calls) == 5:
                raise RuntimeError("power cut")
            return real(*args, **kwargs)

        monkeypatch.setattr(book, "add_note", failing)
        with pytest.raises(RuntimeError):
            demo.populate(book, n=20, seed=1)
        assert book.is_empty()
        assert book.audit_trail() == []
        monkeypatch.undo()
        summary = demo.populate(book, n=20, seed=1)  # and then it runs to the end
        assert book.counts()["young_people"] == summary["young_people"] == 20


def _at(url: str, revision: str, statements: list[str]) -> None:
    from alembic import command
    from alembic.config import Config

    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


PERSON = (
    "INSERT INTO young_people (id, case_ref, date_of_birth, gender, ethnicity, team, language, "
    "created_at) VALUES ({id}, '{ref}', '2010-05-01', '{gender}', 'White', 'north', 'en', "
    "'2026-01-01 09:00:00')"
)
DRAFT = (
    "INSERT INTO screenings (id, young_person_id, stage, screened_on, officer, instrument_id, "
    "instrument_version, status, judgements) VALUES ({id}, 1, 'pre-court', '2026-02-01', 'o', "
    "'i', '1', 'draft', '[]')"
)


@pytest.mark.parametrize(
    ("revision", "rows", "named"),
    [
        (
            "0002",
            [
                PERSON.format(id=1, ref="YJ-1", gender="male"),
                PERSON.format(id=2, ref="yj-1 ", gender="male"),
            ],
            ["differ only in capitals or spaces", "'YJ-1' and 'yj-1 '"],
        ),
        (
            "0001",
            [
                PERSON.format(id=1, ref="YJ-1", gender="male"),
                DRAFT.format(id=1),
                DRAFT.format(id=2),
            ],
            ["two screenings in progress", "YJ-1 pre-court (ids 1, 2)"],
        ),
        (
            "0002",
            [PERSON.format(id=1, ref="YJ-1", gender="robot")],
            ["not in their code lists", "young_people row 1 has gender 'robot'"],
        ),
    ],
)  # fmt: skip
def test_an_upgrade_that_would_break_stored_rows_is_refused_naming_them(
    db_url: str, revision: str, rows: list[str], named: list[str]
) -> None:
    _at(db_url, revision, rows)
    with pytest.raises(StorageError) as refused:
        Store(db_url)
    for part in named:
        assert part in str(refused.value)
    assert "Nothing was changed." in str(refused.value)
    engine = create_engine(db_url)
    with engine.connect() as conn:  # left as it was: old revision, every row
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == revision
        assert conn.execute(text("SELECT count(*) FROM young_people")).scalar() == (
            2 if "capitals" in named[0] else 1
        )
    engine.dispose()


def test_an_upgrade_from_0002_with_data_keeps_every_row(db_url: str) -> None:
    _at(
        db_url,
        "0002",
        [PERSON.format(id=1, ref="YJ-7", gender="female"), DRAFT.format(id=1)],
    )
    Store(db_url).close()
    with snt_youth.open(db_url) as book:
        assert book.young_person("yj-7").case_ref == "YJ-7"
        assert [s.id for s in book.drafts()] == [1]
        assert book.record_version("screening", 1) == 1
