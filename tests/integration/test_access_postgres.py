"""Who may see what, enforced by PostgreSQL itself: two officers in different teams,
managers, and the audit user written by the database. Real server; every role the
tests make is in a namespace of their own schema and dropped afterwards."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from tests.support.postgres import _postgres_base

import snt_youth
from snt_youth.casebook import FixedClock
from snt_youth.cli import cli
from snt_youth.errors import InvalidInput, NotFound, StorageError

pytestmark = pytest.mark.postgres

TODAY = dt.date.today()
NOT_FOUND = "No young person with case reference {!r}. Check the reference"


class Service:
    """A schema with users alice (north), bob (south), mo (manager, north), max
    (manager, every team), and young people in north and south."""

    def __init__(self, base: str, schema: str) -> None:
        self.base = base
        self.schema = schema
        self.namespace = f"test_{schema}"
        self.plain = base.replace("postgresql+psycopg://", "postgresql://")

    def url(self, login: str | None = None) -> str:
        base = self.base
        if login is not None:
            base = base.replace("postgresql+psycopg://", f"postgresql+psycopg://{login}@")
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options={quote(f'-csearch_path={self.schema}')}"

    def login(self, name: str) -> str:
        return f"{self.namespace}_{name}"

    def sql(self, login: str, statement: str) -> list[tuple[object, ...]]:
        """Run raw SQL as ``login``, as psql would."""
        import psycopg

        plain = self.plain.replace("postgresql://", f"postgresql://{login}@")
        with psycopg.connect(plain, options=f"-csearch_path={self.schema}", autocommit=True) as c:
            cur = c.execute(statement)  # type: ignore[arg-type]
            return list(cur.fetchall()) if cur.description else []


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    base = _postgres_base()
    import psycopg

    schema = f"a{uuid.uuid4().hex[:10]}"
    svc = Service(base, schema)
    with psycopg.connect(svc.plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
    try:
        monkeypatch.delenv("SNT_YOUTH_USER", raising=False)
        with snt_youth.open(svc.url(), user="owner", clock=FixedClock(TODAY)) as book:
            book.add_user("alice", "officer", ["north"])
            book.add_user("bob", "officer", ["south"])
            book.add_user("mo", "manager", ["north"])
            book.add_user("max", "manager")
            book.add_young_person("YJ-N1", dt.date(2010, 3, 1), "north", known_as="Kai")
            book.add_young_person("YJ-S1", dt.date(2010, 3, 1), "south", known_as="Sam")
            book.add_note("YJ-N1", "Met at school.")
            book.add_note("YJ-S1", "Met at home.")
            book.start_screening("YJ-S1", "pre-court")
        yield svc
    finally:
        with psycopg.connect(svc.plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[arg-type]
            roles = [
                r[0]
                for r in conn.execute(
                    "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s) "
                    "ORDER BY rolname LIKE %s, rolname",
                    (svc.namespace + "_", svc.namespace + "\\_g\\_%"),
                )
            ]
            for role in roles:  # users first, then the group roles
                conn.execute(f'DROP ROLE "{role}"')  # type: ignore[arg-type]
            left = conn.execute(
                "SELECT count(*) FROM pg_roles WHERE starts_with(rolname, %s)",
                (svc.namespace + "_",),
            ).fetchone()
            assert left == (0,)


def _run(url: str, *args: str) -> tuple[int, str]:
    """Exit code and everything printed (stdout and stderr)."""
    result = CliRunner().invoke(cli, ["--db", url, *args])
    return result.exit_code, result.output


def _stdout(url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_each_officer_sees_only_their_team_through_the_cli(service: Service) -> None:
    for name, mine, theirs in (("alice", "YJ-N1", "YJ-S1"), ("bob", "YJ-S1", "YJ-N1")):
        url = service.url(service.login(name))
        listed = json.loads(_stdout(url, "young-person", "list", "--json"))
        assert [r["case_ref"] for r in listed] == [mine]
        code, out = _run(url, "young-person", "show", mine)
        assert code == 0 and mine in out
        for command in (
            ["young-person", "show"],
            ["screening", "list"],
            ["screening", "start", "--stage", "pre-court"],
            ["support", "list"],
            ["session", "list"],
        ):
            args = [*command[:2], theirs, *command[2:]]
            hidden = _run(url, *args)
            unknown = _run(url, *[a if a != theirs else "YJ-NOBODY" for a in args])
            assert hidden[0] == unknown[0] == 2, (args, hidden)
            assert hidden[1].replace(theirs, "REF") == unknown[1].replace("YJ-NOBODY", "REF")
        code, out = _run(url, "whoami")
        assert code == 0 and f"You are {name}" in out and "officer" in out


def test_each_officer_sees_only_their_team_through_the_casebook(service: Service) -> None:
    with snt_youth.open(service.url(service.login("alice"))) as alice:
        assert [r.case_ref for r in alice.caseload()] == ["YJ-N1"]
        assert [p.case_ref for p in alice.young_people()] == ["YJ-N1"]
        assert alice.notes("YJ-N1")[0].text == "Met at school."
        for call in (alice.young_person, alice.timeline, alice.notes, alice.screenings):
            with pytest.raises(NotFound, match=NOT_FOUND.format("YJ-S1")):
                call("YJ-S1")
        with pytest.raises(NotFound, match=NOT_FOUND.format("YJ-S1")):
            alice.add_note("YJ-S1", "A note.")
        backup = alice.export_backup()
        assert [p["case_ref"] for p in backup["tables"]["young_people"]] == ["YJ-N1"]
        assert len(backup["tables"]["case_notes"]) == 1
        assert backup["tables"]["screenings"] == []
        me = alice.whoami()
        assert (me.name, me.role, me.teams, me.enforced) == ("alice", "officer", ("north",), True)


def test_each_officer_sees_only_their_team_through_raw_sql(service: Service) -> None:
    alice, bob = service.login("alice"), service.login("bob")
    assert service.sql(alice, "SELECT case_ref FROM young_people") == [("YJ-N1",)]
    assert service.sql(bob, "SELECT case_ref FROM young_people") == [("YJ-S1",)]
    assert service.sql(alice, "SELECT text FROM case_notes") == [("Met at school.",)]
    assert service.sql(alice, "SELECT count(*) FROM screenings") == [(0,)]
    assert service.sql(bob, "SELECT count(*) FROM screenings") == [(1,)]
    assert (
        service.sql(
            alice, "UPDATE young_people SET known_as = 'X' WHERE case_ref = 'YJ-S1' RETURNING id"
        )
        == []
    )
    import psycopg

    south = service.sql(service.login("max"), "SELECT id FROM young_people WHERE team = 'south'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        service.sql(
            alice,
            "INSERT INTO case_notes (young_person_id, written_on, author, text, version) "
            f"VALUES ({south[0][0]}, current_date, 'a', 'A note.', 1)",
        )


def test_managers_see_their_teams_or_the_whole_service(service: Service) -> None:
    with snt_youth.open(service.url(service.login("mo"))) as mo:
        assert [r.case_ref for r in mo.caseload()] == ["YJ-N1"]
    with snt_youth.open(service.url(service.login("max"))) as mx:
        assert [r.case_ref for r in mx.caseload()] == ["YJ-N1", "YJ-S1"]
    assert service.sql(service.login("mo"), "SELECT case_ref FROM young_people") == [("YJ-N1",)]


def test_every_write_is_attributed_to_the_session_user(service: Service) -> None:
    alice = service.login("alice")
    with pytest.raises(InvalidInput, match="you are the role you log in as"):
        snt_youth.open(service.url(alice), user="bob")
    code, out = _run(service.url(alice), "--user", "bob", "young-person", "list")
    assert code == 2 and "cannot name someone else" in out
    with snt_youth.open(service.url(alice), user=alice) as book:
        book.add_note("YJ-N1", "Rang the school.")
        assert max(book.audit_trail(), key=lambda e: e.id).user == alice
    rows = service.sql(
        alice,
        "INSERT INTO audit_events (at, user_name, action, record_type, record_id, detail) "
        "VALUES (now(), 'bob', 'add', 'young_person', 'YJ-N1', '') RETURNING user_name",
    )
    assert rows == [(alice,)]
    for statement in (
        "UPDATE audit_events SET detail = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "DELETE FROM audit_chain",
    ):
        import psycopg

        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            service.sql(alice, statement)
    code, out = _run(service.url(), "audit", "verify")
    assert code == 1 and "inserted outside snt-youth" in out  # alice's raw insert


def test_moving_a_young_person_is_for_managers_and_audited(service: Service) -> None:
    alice = service.login("alice")
    with (
        snt_youth.open(service.url(alice)) as book,
        pytest.raises(InvalidInput, match="Only a manager or an admin"),
    ):
        book.move_young_person("YJ-N1", "south")
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="Only a manager or an admin"):
        service.sql(alice, "UPDATE young_people SET team = 'east' WHERE case_ref = 'YJ-N1'")
    with snt_youth.open(service.url(service.login("max"))) as book:
        moved = book.move_young_person("YJ-N1", "south")
        last = max(book.audit_trail(), key=lambda e: e.id)
    assert moved.team == "south"
    assert (last.user, last.action, last.detail) == (
        service.login("max"),
        "move",
        "from north to south",
    )
    assert service.sql(alice, "SELECT count(*) FROM young_people") == [(0,)]
    assert _run(service.url(), "audit", "verify")[0] == 0


def test_a_disabled_user_cannot_log_in(service: Service) -> None:
    with snt_youth.open(service.url(), user="owner") as book:
        book.disable_user("bob")
        assert [u.disabled for u in book.users() if u.name == "bob"] == [True]
    with pytest.raises(StorageError, match=r"Cannot connect|refused|not permitted"):
        snt_youth.open(service.url(service.login("bob"))).close()


def test_an_officer_cannot_add_users(service: Service) -> None:
    with (
        snt_youth.open(service.url(service.login("alice"))) as book,
        pytest.raises(InvalidInput, match="Only the schema owner"),
    ):
        book.add_user("eve", "admin")


def test_grants_are_given_again_for_a_table_an_upgrade_added(service: Service) -> None:
    import psycopg

    owner = service.url()
    with psycopg.connect(
        service.plain, options=f"-csearch_path={service.schema}", autocommit=True
    ) as c:
        c.execute("CREATE TABLE added_later (id integer)")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        service.sql(service.login("alice"), "SELECT * FROM added_later")
    code, out = _run(owner, "admin", "user", "grants")
    assert code == 0 and "Grants given again to 4 group roles." in out
    assert service.sql(service.login("alice"), "SELECT count(*) FROM added_later") == [(0,)]
    code, out = _run(service.url(service.login("alice")), "admin", "user", "grants")
    assert code == 2 and "Only the schema owner" in out
