"""``snt-youth screening ...``: the instrument's data dictionary and the screening lifecycle.

Start a draft, answer one question at a time, complete, amend, record a paper form,
show, list and compare. Every rule (which question comes next, what the answers give)
is the Casebook's; this module only reads options and prints.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

import click

from snt_youth import content, vocabulary
from snt_youth.cli import params
from snt_youth.cli.context import Context, echo_json, pass_context


@click.group()
def screening() -> None:
    """Screen a young person before and after court, and see the instrument."""


def _instrument(context: Context, file: str | None) -> Any:
    from snt_youth import screening as core

    if file:
        return core.load_instrument(file)
    return core.instrument_for(context.config())


@screening.command("instrument")
@click.option("--json", "as_json", is_flag=True, help="Print the data dictionary as JSON.")
@click.option(
    "--file",
    "file",
    metavar="PATH",
    type=click.Path(dir_okay=False),
    help="Check and show this instrument file instead of the service's instrument.",
)
@pass_context
def instrument(context: Context, as_json: bool, file: str | None) -> None:
    """Show the data dictionary: every item, its responses, concerns and conditions.

    \b
    Also checks an instrument file before a service uses it:
      snt-youth screening instrument --file my-screen.toml
    """
    from snt_youth import screening as core

    chosen = _instrument(context, file)
    rows = core.dictionary(chosen)
    if as_json:
        echo_json(
            {
                "id": chosen.id,
                "version": chosen.version,
                "title": chosen.title,
                "source": chosen.source,
                "sections": [{"id": s.id, "title": s.title} for s in chosen.sections],
                "items": rows,
            }
        )
        return
    click.echo(f"{chosen.title}: {chosen.id} version {chosen.version}, {len(rows)} items")
    click.echo(f"From {chosen.source}")
    click.echo()
    click.echo(_table(_TABLE_HEADINGS, [_text_row(row) for row in rows], _TABLE_WIDTHS))
    click.echo()
    click.echo(
        "Every item also allows not-sure, prefer-not-to-say and not-asked. These are "
        "missing data:\nthey never count as 'no'. SAFETY NOW: 'yes' for a safety-now item; "
        "'danger' when a concern\nanswer also means someone may be in danger right now."
    )


_TABLE_HEADINGS = ("ID", "SECTION", "OUTCOME", "RESPONSES", "CONCERN", "CONDITION", "SAFETY NOW")
_TABLE_WIDTHS = (16, 12, 13, 12, 20, 17, 10)


def _text_row(row: dict[str, Any]) -> tuple[str, ...]:
    responses = [r["code"] for r in row["responses"] if not r["missing_data"]]
    levels = row["concern_levels"]
    concern = ", ".join(f"{code} ({levels[code]})" for code in row["concern"])
    if row["outcome"] == "gate":
        concern = f"opens {', '.join(row['gates'])} on {'/'.join(row['opens'])}"
    condition = row["condition"]
    condition_text = f"{condition['item']} = {'/'.join(condition['in'])}" if condition else ""
    safety = ""
    if row["safety_now"]:
        safety = "danger" if row["immediate_danger"] else "yes"
    return (
        row["id"],
        row["section"],
        row["outcome"],
        ", ".join(responses),
        concern,
        condition_text,
        safety,
    )


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> str:
    """A plain text table whose cells wrap within fixed column widths."""
    widths = [max(w, len(h)) for w, h in zip(widths, headings, strict=True)]
    lines = [_line(headings, widths), _line(["-" * w for w in widths], widths)]
    for row in rows:
        cells = [
            textwrap.wrap(cell, width, break_on_hyphens=False) or [""]
            for cell, width in zip(row, widths, strict=True)
        ]
        for i in range(max(len(c) for c in cells)):
            lines.append(_line([c[i] if i < len(c) else "" for c in cells], widths))
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


# -- the screening lifecycle -------------------------------------------------------------

STAGES = click.Choice(["pre-court", "post-court"], case_sensitive=False)
# "Screening 232 cannot ..." names a number a failed paper screening never kept.
_NUMBERED = re.compile(r"^Screening \d+ ")


#: The paper-form answers file: question id to response, read by the one content reader.
_ANSWERS_FILE = content.Table(values=content.Text(collapse=False))


def _judgements(raise_: Sequence[str]) -> list[Any]:
    """Parse --raise OUTCOME=LEVEL:REASON options into judgements."""
    from snt_youth import model

    found = []
    for text in raise_:
        head, _, reason = text.partition(":")
        outcome, _, level = head.partition("=")
        if not outcome or not level:
            raise click.BadParameter(
                f"{text!r}: write OUTCOME=LEVEL:REASON, e.g. home=ongoing:Mum told me today",
                param_hint="--raise",
            )
        found.append(model.Judgement(outcome.strip(), level.strip(), reason.strip()))
    return found


def _show_assessment(result: Any, *, completed: bool) -> None:
    o = result.outcome
    s = result.screening
    title = "Screening complete" if completed else "Outcome so far"
    click.echo(f"{title}: {s.case_ref}, {s.stage.value}, {s.screened_on} (screening {s.id})")
    for term in vocabulary.OUTCOMES:
        click.echo(f"  {term.title + ':':<33}{getattr(o, term.name).value}")
    for j in result.judgements:
        click.echo(f"  Raised by professional judgement: {j.outcome} to {j.level} ({j.reason})")
    if result.routes:
        click.echo("Safety: consider now")
        for route in result.routes:
            click.echo(f"  - {route.title}: {route.guidance}")
    if s.safety_action:
        click.echo(f"Action recorded: {s.safety_action}")
    if result.suggestions:
        click.echo("Suggested support:")
        for svc in result.suggestions:
            click.echo(f"  - {svc.name} [{svc.kind}] (id: {svc.id})")
        click.echo(f"  Safe & Together champions for this team: {', '.join(result.champions)}")
        click.echo(
            f"  Record an offer: snt-youth support offer {s.case_ref} --service ID "
            f"--screening {s.id}"
        )
    if result.missing and not completed:
        click.echo(f"Still to answer: {', '.join(result.missing)}")


@screening.command("start")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--stage", required=True, type=STAGES, help="pre-court or post-court.")
@click.option("--date", "screened_on", metavar="YYYY-MM-DD", help="Screening date (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the draft as JSON.")
@pass_context
def start(
    context: Context, case_ref: str, stage: str, screened_on: str | None, as_json: bool
) -> None:
    """Start a draft screening for CASE_REF at a stage.

    Answers are saved one at a time with 'screening answer', so nothing is lost if
    you stop. Finish with 'screening complete'.
    """
    from snt_youth.cli.context import parse_date

    with context.open_book() as book:
        draft = book.start_screening(case_ref, stage, screened_on=parse_date(screened_on))
        first = book.next_question(draft.id)
    if as_json:
        echo_json(draft)
        return
    click.echo(f"Screening {draft.id} started for {case_ref} ({draft.stage.value}).")
    if first is not None:
        click.echo(f"First question ({first.id}): {first.young_person}")
        keys = ", ".join(f"{r.key}={r.code}" for r in first.responses)
        click.echo(f"Answer with: snt-youth screening answer {draft.id} {first.id} CODE  ({keys})")


@screening.command("answer")
@click.argument("screening_id", type=params.RECORD_ID)
@click.argument("item_id", type=params.NAME)
@click.argument("response", type=params.NAME)
@pass_context
def answer(context: Context, screening_id: int, item_id: str, response: str) -> None:
    """Save one answer: RESPONSE is a code (e.g. no) or its key (e.g. n)."""
    with context.open_book() as book:
        draft = book.answer(screening_id, item_id, response)
        following = book.next_question(screening_id)
    click.echo(f"Saved {item_id} = {draft.answers[item_id]}.")
    if following is None:
        click.echo(
            f"All questions answered. Finish with: snt-youth screening complete {screening_id}"
        )
    else:
        click.echo(f"Next ({following.id}): {following.young_person}")


@screening.command("complete")
@click.argument("screening_id", type=params.RECORD_ID)
@click.option(
    "--action",
    type=params.TEXT,
    help="On a safety concern: the action taken, or your reason for none.",
)
@click.option(
    "--raise",
    "raise_",
    type=params.TEXT,
    multiple=True,
    metavar="OUTCOME=LEVEL:REASON",
    help="Professional judgement: raise an outcome, with a reason. Repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_context
def complete(
    context: Context, screening_id: int, action: str | None, raise_: tuple[str, ...], as_json: bool
) -> None:
    """Complete a screening: the outcome, safety escalation and suggested support.

    A safety concern blocks completion until --action records what you did (or why
    not). Unanswered questions are listed; record 'not sure' or 'prefer not to say'.
    """
    with context.open_book() as book:
        result = book.complete_screening(
            screening_id, action=action, judgements=_judgements(raise_)
        )
    if as_json:
        echo_json(result)
        return
    _show_assessment(result, completed=True)


@screening.command("record")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--stage", required=True, type=STAGES, help="pre-court or post-court.")
@click.option(
    "--answer",
    "answer_pairs",
    multiple=True,
    type=params.NAME,
    metavar="ITEM=RESPONSE",
    help="One answer from the paper form, such as home-hurt=no; repeat for each question.",
)
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False),
    help="Or: a JSON object mapping question id to response.",
)
@click.option("--date", "screened_on", metavar="YYYY-MM-DD", help="Date of the paper screening.")
@click.option(
    "--action",
    type=params.TEXT,
    help="On a safety concern: the action taken, or your reason for none.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_context
def record(
    context: Context,
    case_ref: str,
    stage: str,
    answer_pairs: tuple[str, ...],
    answers_file: str | None,
    screened_on: str | None,
    action: str | None,
    as_json: bool,
) -> None:
    """Enter a paper screening in one go. All or nothing.

    \b
    Give each answer with --answer ITEM=RESPONSE (the response code, such as "no",
    or its key, such as "n"); see 'screening instrument' for the ids:
      snt-youth screening record YJ-2041 --stage pre-court --answer home-hurt=no ...
    Run in a terminal with no answers, it asks each question in turn.
    """
    from snt_youth.cli.context import Failed, parse_date
    from snt_youth.errors import SntError

    if answers_file and answer_pairs:
        raise click.UsageError("Give the answers with --answer or --answers, not both.")
    if answers_file:
        document = content.read_file(answers_file, "json", error=content.ContentFormatError)
        answers = _ANSWERS_FILE.check(document.data, document.at)
    elif answer_pairs:
        answers = _answer_pairs(answer_pairs)
    elif _interactive():
        answers = _ask_answers(_instrument(context, None))
        if action is None:
            action = _ask_action(context, answers)
    else:
        raise click.UsageError(
            "Give the answers with --answer ITEM=RESPONSE (repeat it for each question), "
            "or --answers FILE.json."
        )
    with context.open_book() as book:
        try:
            result = book.record_screening(
                case_ref, stage, answers, screened_on=parse_date(screened_on), action=action
            )
        except SntError as exc:
            # All or nothing: the screening the Casebook numbered was never stored, so
            # the message must not send anyone looking for it.
            problem = _NUMBERED.sub("the paper screening ", str(exc), count=1)
            raise Failed(
                f"Nothing was stored for {case_ref}: {problem[:1].lower()}{problem[1:]}"
            ) from None
    if as_json:
        echo_json(result)
        return
    _show_assessment(result, completed=True)


def _answer_pairs(pairs: Sequence[str]) -> dict[str, str]:
    """``ITEM=RESPONSE`` options as a mapping; a question given twice is refused."""
    answers: dict[str, str] = {}
    for pair in pairs:
        item, sep, response = pair.partition("=")
        item, response = item.strip(), response.strip()
        if not sep or not item or not response:
            raise click.BadParameter(
                f"{pair!r} is not ITEM=RESPONSE; write it like home-hurt=no.",
                param_hint="--answer",
            )
        if item in answers:
            raise click.BadParameter(f"{item} is answered twice.", param_hint="--answer")
        answers[item] = response
    return answers


def _interactive() -> bool:
    """Whether a person is at the keyboard (so the questions can be asked)."""
    import sys

    return sys.stdin.isatty()


def _ask_answers(instrument: Any) -> dict[str, str]:
    """Ask each question that applies, in order, as the paper form has it."""
    from snt_youth.screening.flow import next_question

    answers: dict[str, str] = {}
    click.echo("Enter the answers from the paper form. Press the key shown for each.")
    item = next_question(instrument, answers)
    while item is not None:
        keys = "  ".join(f"{r.key} {r.label}" for r in item.responses)
        click.echo(f"\n{item.officer}\n  {keys}")
        choice = click.prompt(
            "Answer",
            type=click.Choice([r.key for r in item.responses] + list(item.codes)),
            show_choices=False,
        )
        response = item.response_for_key(choice)
        answers[item.id] = response.code if response is not None else choice
        item = next_question(instrument, answers, after=item.id)
    return answers


def _ask_action(context: Context, answers: dict[str, str]) -> str | None:
    """On a safety concern, ask what was done before anything is stored."""
    from snt_youth import screening as core

    instrument = _instrument(context, None)
    outcome = core.score(instrument, answers)
    if not core.needs_safety_action(core.triggers(instrument, answers, outcome)):
        return None
    click.echo("\nThere is a safety concern. Follow your safeguarding procedure now.")
    text: str = click.prompt("What did you do, or why not", type=params.TEXT)
    return text


@screening.command("amend")
@click.argument("screening_id", type=params.RECORD_ID)
@click.option(
    "--reason",
    required=True,
    type=params.TEXT,
    help="Why the completed screening is being changed.",
)
@click.option(
    "--set", "changes", type=params.NAME, multiple=True, metavar="ITEM=RESPONSE", help="Repeatable."
)
@click.option("--raise", "raise_", type=params.TEXT, multiple=True, metavar="OUTCOME=LEVEL:REASON")
@click.option(
    "--action", type=params.TEXT, help="Action taken, if the amendment raises a safety concern."
)
@pass_context
def amend(
    context: Context,
    screening_id: int,
    reason: str,
    changes: tuple[str, ...],
    raise_: tuple[str, ...],
    action: str | None,
) -> None:
    """Change a completed screening, with a reason. The change is audited."""
    answers = {}
    for change in changes:
        item, sep, value = change.partition("=")
        if not sep:
            raise click.BadParameter(f"{change!r}: write ITEM=RESPONSE", param_hint="--set")
        answers[item.strip()] = value.strip()
    with context.open_book() as book:
        result = book.amend_screening(
            screening_id,
            reason=reason,
            answers=answers,
            judgements=_judgements(raise_),
            action=action,
        )
    _show_assessment(result, completed=True)


@screening.command("show")
@click.argument("screening_id", type=params.RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def show(context: Context, screening_id: int, as_json: bool) -> None:
    """Show a screening: answers, and the outcome (or the outcome so far for a draft)."""
    from snt_youth import model

    with context.open_book() as book:
        result = book.assess(screening_id)
        s = result.screening
        instrument = book.instrument()
    if as_json:
        echo_json(result)
        return
    _show_assessment(result, completed=s.status is model.ScreeningStatus.COMPLETE)
    click.echo("Answers:")
    for item in instrument.items:  # in the order they are asked
        if item.id in s.answers:
            click.echo(f"  {item.id:<16} {s.answers[item.id]:<18} {item.young_person}")


@screening.command("list")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def list_(context: Context, case_ref: str, as_json: bool) -> None:
    """List a young person's screenings."""
    with context.open_book() as book:
        found = book.screenings(case_ref)
    if as_json:
        echo_json(found)
        return
    if not found:
        click.echo(f"No screenings for {case_ref} yet.")
    for s in found:
        if s.outcome is None:
            state = f"draft, {len(s.answers)} answers"
        else:
            o = s.outcome
            state = (
                f"home {o.home.value}; relationship {o.relationship.value}; safety {o.safety.value}"
            )
        click.echo(f"{s.id:>5}  {s.screened_on}  {s.stage.value:<10}  {state}")


@screening.command("compare")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def compare(context: Context, case_ref: str, as_json: bool) -> None:
    """What changed between a young person's pre-court and post-court screenings."""
    with context.open_book() as book:
        result = book.compare_screenings(case_ref)
    if as_json:
        echo_json(result)
        return
    pre = result.pre_court
    post = result.post_court
    click.echo(
        f"{case_ref}: pre-court {pre.screened_on if pre else 'none'}, "
        f"post-court {post.screened_on if post else 'none'}"
    )
    for c in result.changes:
        click.echo(f"  {c.title:<32} {c.before or '-':<28} -> {c.after or '-':<28} {c.direction}")
