"""Screening lifecycle, direct-work sessions and support, through the Casebook, on both DBs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from snt_youth import model
from snt_youth.casebook import Casebook
from snt_youth.cli import cli
from snt_youth.errors import InvalidInput, NotFound
from snt_youth.screening import next_item

CLEAR = {
    "home-hurt": "no", "home-scare": "no", "home-threat": "no", "home-control": "no",
    "home-police": "no", "home-yp-hurt": "no", "home-yp-scared": "no", "home-yp-protect": "no",
    "rel-partner": "no", "safe-danger-you": "no", "safe-danger-home": "no", "safe-place": "yes",
}  # fmt: skip


@pytest.fixture
def kai(book: Casebook) -> str:
    book.add_young_person("YJ-1", dt.date(2009, 6, 1), "north", known_as="Kai")
    return "YJ-1"


def answer_all(book: Casebook, screening_id: int, answers: dict[str, str]) -> None:
    instrument = book.instrument()
    while (item := next_item(instrument, book.screening(screening_id).answers)) is not None:
        book.answer(screening_id, item.id, answers[item.id])


def test_each_answer_is_stored_at_once_and_a_draft_resumes(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    book.answer(draft.id, "home-hurt", "n")  # the single key works as well as the code
    book.answer(draft.id, "home-scare", "prefer-not-to-say")
    assert book.screening(draft.id).answers == {
        "home-hurt": "no",
        "home-scare": "prefer-not-to-say",
    }
    resumed = book.draft_for(kai, "pre-court")
    assert resumed is not None and resumed.id == draft.id
    assert [d.id for d in book.drafts()] == [draft.id]
    with pytest.raises(InvalidInput, match="already has a pre-court screening in progress"):
        book.start_screening(kai, "pre-court")


def test_complete_all_clear_stores_outcome_columns(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    answer_all(book, draft.id, CLEAR)
    result = book.complete_screening(draft.id)
    done = book.screening(draft.id)
    assert done.status is model.ScreeningStatus.COMPLETE
    assert done.outcome == result.outcome
    assert done.outcome.home is model.HomeAbuse.NONE_DISCLOSED
    assert not done.outcome.need_identified
    assert (done.instrument_id, done.instrument_version) == ("snt-screen", "1.0")
    assert result.suggestions == ()


def test_missing_answers_block_completion_and_are_listed(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    book.answer(draft.id, "home-hurt", "no")
    with pytest.raises(InvalidInput, match="home-scare, home-threat"):
        book.complete_screening(draft.id)
    assert book.screening(draft.id).status is model.ScreeningStatus.DRAFT


def test_safety_concern_blocks_completion_until_action(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    answer_all(book, draft.id, {**CLEAR, "safe-danger-you": "yes"})
    preview = book.assess(draft.id)
    assert preview.needs_action
    assert {r.id for r in preview.routes} >= {"police-now", "childrens-social-care"}
    with pytest.raises(InvalidInput, match="safety concern"):
        book.complete_screening(draft.id)
    assert book.screening(draft.id).status is model.ScreeningStatus.DRAFT
    done = book.complete_screening(draft.id, action="Called 999 and stayed with Kai.")
    assert done.screening.safety_action == "Called 999 and stayed with Kai."
    assert done.outcome.safety is model.SafetyNow.CONCERN


def test_judgement_raises_never_lowers_and_is_audited(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    answer_all(book, draft.id, {**CLEAR, "home-hurt": "yes-before"})
    lower = model.Judgement("home", "none disclosed", "seems fine")
    with pytest.raises(InvalidInput, match="never lower"):
        book.complete_screening(draft.id, judgements=[lower])
    up = model.Judgement("home", "ongoing", "Mum said it happened last week.")
    result = book.complete_screening(draft.id, judgements=[up])
    assert result.outcome.home is model.HomeAbuse.ONGOING
    assert result.scored.home is model.HomeAbuse.PAST
    assert any(e.action == "raise" for e in book.audit_trail())
    assert book.screening(draft.id).judgements == (up,)


def test_amend_needs_reason_and_is_audited(book: Casebook, kai: str) -> None:
    result = book.record_screening(kai, "pre-court", CLEAR)
    sid = result.screening.id
    with pytest.raises(InvalidInput, match="reason"):
        book.amend_screening(sid, reason=" ", answers={"home-hurt": "yes-now"})
    with pytest.raises(InvalidInput, match="already complete"):
        book.answer(sid, "home-hurt", "yes-now")
    amended = book.amend_screening(
        sid, reason="Kai told me more at the next visit.", answers={"home-hurt": "yes-now"}
    )
    assert amended.outcome.home is model.HomeAbuse.ONGOING
    assert book.screening(sid).outcome == amended.outcome
    event = book.audit_trail()[-1]
    assert event.action == "amend" and "Kai told me more" in event.detail
    assert "before: home=none disclosed" in event.detail


@pytest.mark.parametrize(
    ("answers", "kwargs", "message"),
    [
        ({**CLEAR, "nope": "no"}, {}, "Unknown question id"),
        ({**CLEAR, "home-hurt": "maybe"}, {}, "not an answer to home-hurt"),
        ({**CLEAR, "rel-hit": "yes"}, {}, "asked only when rel-partner"),
        ({"home-hurt": "no"}, {}, "have no answer"),
        (CLEAR, {"stage": "at-court"}, "Stage 'at-court'"),
        (CLEAR, {"screened_on": dt.date.today() + dt.timedelta(days=2)}, "future"),
        (CLEAR, {"screened_on": dt.date(2001, 1, 1)}, "before YJ-1's date of birth"),
    ],
)
def test_bad_paper_screening_changes_nothing(
    book: Casebook, kai: str, answers: dict[str, str], kwargs: dict[str, object], message: str
) -> None:
    kwargs = dict(kwargs)  # parameters are shared between the SQLite and PostgreSQL runs
    stage = kwargs.pop("stage", "pre-court")
    with pytest.raises(InvalidInput, match=message):
        book.record_screening(kai, str(stage), answers, **kwargs)  # type: ignore[arg-type]
    assert book.screenings(kai) == []


def test_compare_pre_and_post_court(book: Casebook, kai: str) -> None:
    book.record_screening(
        kai,
        "pre-court",
        {**CLEAR, "home-scare": "yes-now"},
        screened_on=dt.date.today() - dt.timedelta(days=90),
    )
    book.record_screening(kai, "post-court", {**CLEAR, "home-scare": "yes-before"})
    changes = {c.outcome: c for c in book.compare_screenings(kai).changes}
    assert (changes["home"].before, changes["home"].after) == ("ongoing", "past")
    assert changes["home"].direction == "less concern"
    assert changes["safety"].direction == "no change"


def test_session_outcome_and_attendance(book: Casebook, kai: str) -> None:
    result = book.record_screening(kai, "pre-court", {**CLEAR, "home-hurt": "yes-before"})
    assert "protective-adult" in [s.id for s in result.suggestions]
    offer = book.offer_support(kai, "protective-adult", screening_id=result.screening.id)
    assert offer.stage is model.Stage.PRE_COURT
    empty = book.record_session(kai, "who-kept-me-safe", [], offer_id=offer.id)
    assert not empty.protective_adult_identified
    named = book.record_session(
        kai,
        "who-kept-me-safe",
        [model.MatrixEntry("Mum", "safe", "hid me <upstairs>")],
        offer_id=offer.id,
    )
    assert named.protective_adult_identified
    stored = book.offer(offer.id)
    assert stored.sessions == 2 and stored.attended
    assert stored.response is model.OfferResponse.ACCEPTED  # attending means accepting
    assert book.session(named.id).entries[0].words == "hid me <upstairs>"


@pytest.mark.parametrize(
    ("entries", "kwargs", "error", "message"),
    [
        ([model.MatrixEntry("Mum", "flying", "x")], {}, InvalidInput, "flying"),
        ([model.MatrixEntry(" ", "safe", "x")], {}, InvalidInput, "person"),
        ([], {"matrix_id": "nope"}, NotFound, "no matrix"),
        ([], {"held_on": dt.date.today() + dt.timedelta(days=1)}, InvalidInput, "future"),
        ([], {"held_on": dt.date(2000, 1, 1)}, InvalidInput, "date of birth"),
    ],
)
def test_bad_session_changes_nothing(
    book: Casebook,
    kai: str,
    entries: list[model.MatrixEntry],
    kwargs: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    kwargs = dict(kwargs)
    matrix = str(kwargs.pop("matrix_id", "who-kept-me-safe"))
    with pytest.raises(error, match=message):
        book.record_session(kai, matrix, entries, **kwargs)  # type: ignore[arg-type]
    assert book.sessions(kai) == []


def test_session_for_another_young_persons_offer_is_refused(book: Casebook, kai: str) -> None:
    book.add_young_person("YJ-2", dt.date(2010, 1, 1), "south")
    offer = book.offer_support("YJ-2", "protective-adult", stage="pre-court")
    with pytest.raises(InvalidInput, match="belongs to another young person"):
        book.record_session(kai, "who-kept-me-safe", [], offer_id=offer.id)
    assert book.offer(offer.id).sessions == 0


def test_cli_full_paper_screening_and_session(tmp_path: Path, sqlite_url: str) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--db", sqlite_url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("young-person", "add", "YJ-5", "--dob", "2010-02-02", "--team", "iss")
    answers = tmp_path / "paper.json"
    answers.write_text(json.dumps({**CLEAR, "home-threat": "yes-now"}))
    out = run("screening", "record", "YJ-5", "--stage", "post-court", "--answers", str(answers))
    assert "Domestic abuse at home:          ongoing" in out
    assert "D. Fraser" in out  # the ISS team's champion is shown with the suggested support
    sid = json.loads(run("screening", "list", "YJ-5", "--json"))[0]["id"]
    offer = json.loads(
        run(
            "support",
            "offer",
            "YJ-5",
            "--service",
            "protective-adult",
            "--screening",
            str(sid),
            "--json",
        )
    )
    entries = tmp_path / "entries.json"
    entries.write_text(
        json.dumps(
            {
                "format": "snt-youth/session-entries",
                "format_version": 1,
                "entries": [{"person": "Nan", "domain": "cared", "words": "cooked my tea"}],
            }
        )
    )
    out = run(
        "session",
        "record",
        "YJ-5",
        "--matrix",
        "who-kept-me-safe",
        "--entries",
        str(entries),
        "--offer",
        str(offer["id"]),
    )
    assert "Protective adult identified: yes" in out
    listed = json.loads(run("support", "list", "YJ-5", "--json"))
    assert listed[0]["sessions"] == 1


def test_cli_interactive_screening_blocks_on_safety(sqlite_url: str) -> None:
    runner = CliRunner()

    def run(*args: str) -> object:
        return runner.invoke(cli, ["--db", sqlite_url, *args], catch_exceptions=False)

    run("young-person", "add", "YJ-6", "--dob", "2009-02-02", "--team", "east")
    run("screening", "start", "YJ-6", "--stage", "pre-court")
    for item, code in {**CLEAR, "safe-place": "no"}.items():
        result = run("screening", "answer", "1", item, code)
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    blocked = run("screening", "complete", "1")
    assert blocked.exit_code == 2 and "safety concern" in blocked.output  # type: ignore[attr-defined]
    done = run("screening", "complete", "1", "--action", "Made a safety plan; told manager.")
    assert done.exit_code == 0 and "Safety: consider now" in done.output  # type: ignore[attr-defined]


def test_level_raised_on_a_draft_is_stored_at_once_and_kept(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    answer_all(book, draft.id, CLEAR)
    up = model.Judgement("safety", "concern", "Kai flinched when his phone rang.")
    raised = book.raise_level(draft.id, up)
    assert raised.outcome.safety is model.SafetyNow.CONCERN and raised.needs_action
    # Stored before completion: a laptop that dies now does not lose it.
    assert book.screening(draft.id).judgements == (up,)
    assert book.assess(draft.id).outcome.safety is model.SafetyNow.CONCERN
    with pytest.raises(InvalidInput, match="safety concern"):
        book.complete_screening(draft.id)
    done = book.complete_screening(draft.id, action="Safety plan made; manager told.")
    assert done.screening.judgements == (up,)
    assert done.outcome.safety is model.SafetyNow.CONCERN
    raises = [e for e in book.audit_trail() if e.action == "raise"]
    assert len(raises) == 1  # audited once, when it was raised


def test_raising_a_draft_level_never_lowers(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    answer_all(book, draft.id, {**CLEAR, "home-hurt": "yes-now"})
    with pytest.raises(InvalidInput, match="never lower"):
        book.raise_level(draft.id, model.Judgement("home", "past", "Dad has left."))
    with pytest.raises(InvalidInput, match="reason"):
        book.raise_level(draft.id, model.Judgement("safety", "concern", " "))
    assert book.screening(draft.id).judgements == ()
