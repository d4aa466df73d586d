"""Click parameter types that check outside text at the edge, with one sentence each.

Every text, date, record number, team id and case reference a person types goes
through one of these, so nothing they type reaches the Casebook or the database as
broken text (bytes that are not UTF-8, lone surrogates), a control character, a date
before 1900 or a number beyond 64 bits. The rules themselves live in
:mod:`snt_youth.outside_text`; these types only apply them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from snt_youth import outside_text
from snt_youth.errors import SntError

if TYPE_CHECKING:  # click 8.2+ types ParamType by its value; 8.1 cannot be subscripted
    _TextType = click.ParamType[str, Any]
    _DateType = click.ParamType[dt.date, Any]
    _IntType = click.ParamType[int, Any]
else:
    _TextType = _DateType = _IntType = click.ParamType


class Text(_TextType):
    """Free text (a reason, an action): no broken characters; line breaks allowed."""

    name = "text"

    def __init__(self, *, multiline: bool = True) -> None:
        self.multiline = multiline

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        problem = outside_text.text_problem(value, multiline=self.multiline)
        if problem is not None:
            self.fail(f"the text {problem}.", param, ctx)
        return value


class Name(Text):
    """A name or id on one line (an officer, a user, a search): no control characters."""

    name = "name"

    def __init__(self) -> None:
        super().__init__(multiline=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        checked = super().convert(value, param, ctx)
        return checked.strip() if isinstance(checked, str) else checked


class TeamId(Name):
    """A team or support-service id; ids match regardless of case, like references."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        checked = super().convert(value, param, ctx)
        return checked.casefold() if isinstance(checked, str) else checked


class Date(_DateType):
    """A ``YYYY-MM-DD`` date from 1900 to 2999, given to the command as a ``date``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return outside_text.parse_date(str(value), "the date")
        except SntError as exc:
            self.fail(str(exc), param, ctx)


class RecordId(_IntType):
    """A record number (a screening, an offer, a session): 1 up to the 64-bit limit."""

    name = "integer"

    def __init__(self, *, minimum: int = 1) -> None:
        self.minimum = minimum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value)
            problem = outside_text.text_problem(text)
            if problem is not None:
                self.fail(f"the number {problem}.", param, ctx)
            try:
                number = int(text.strip())
            except ValueError:
                self.fail(f"{text!r} is not a whole number.", param, ctx)
        problem = outside_text.int_problem(number, minimum=self.minimum)
        if problem is not None:
            self.fail(f"{problem}.", param, ctx)
        return number


class DatabaseUrl(Name):
    """A database URL that snt-youth can use: SQLite, or PostgreSQL with the extra."""

    name = "URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        checked = super().convert(value, param, ctx)
        if isinstance(checked, str):
            problem = outside_text.database_url_problem(checked)
            if problem is not None:
                self.fail(problem, param, ctx)
        return checked


TEXT = Text()
NAME = Name()
TEAM = TeamId()
DATE = Date()
RECORD_ID = RecordId()
COUNT = RecordId(minimum=0)
DATABASE_URL = DatabaseUrl()
#: A case reference: one line, no control characters; matched regardless of case.
CASE_REF = Name()


def undecodable_argument(args: list[str]) -> str | None:
    """One sentence for the first argument holding bytes that are not UTF-8, or None.

    Click hands such bytes over as surrogates on POSIX; refusing them here covers every
    option and argument of every command, including those without a type of ours.
    """
    for number, arg in enumerate(args):
        if not outside_text.has_broken_character(arg):
            continue
        option = arg.split("=", 1)[0] if arg.startswith("--") and "=" in arg else None
        if option is None and number > 0 and args[number - 1].startswith("-"):
            option = args[number - 1]
        where = f"The value given for {option}" if option else f"The argument {arg!r}"
        problem = outside_text.text_problem(arg)
        return f"{where} {problem}."
    return None
