"""Add or edit a young person, through the Casebook and with the CLI's own checks.

Typed text is checked at the edge by :mod:`snt_youth.outside_text`, as the CLI's
parameter types do; the Casebook (``add_young_person`` / ``update_young_person``)
then applies the rules for a young person, so the app and the CLI refuse the same
things with the same sentences.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Select, Static

from snt_youth import model, outside_text
from snt_youth.errors import SntError
from snt_youth.tui.screens.base import BookScreen

LANGUAGES = (("English", model.Language.ENGLISH.value), ("Welsh", model.Language.WELSH.value))


class PersonFormScreen(BookScreen):
    """One form; Ctrl+S saves, Escape goes back without saving."""

    HELP = """\
## Young person's details

Use your service's own case reference, and at most a first name or initials under
"Known as": full names stay in your case management system.

- **Tab** moves between the boxes. Dates are written YYYY-MM-DD.
- **Ctrl+S** saves. The checks are the same as on the command line.
- **Escape** goes back without saving.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="person-form.save", tooltip="Save these details"),
        Binding("escape", "back", "Back", id="person-form.back", tooltip="Back without saving"),
    ]

    def __init__(self, case_ref: str | None = None) -> None:
        super().__init__()
        self.case_ref = case_ref

    def compose(self) -> ComposeResult:
        teams = [(t.name, t.id) for t in self.book.config.teams]
        with VerticalScroll(id="person-form"):
            title = f"Edit {self.case_ref}" if self.case_ref else "Add a young person"
            yield Static(f"[b]{title}[/b]", id="form-title")
            if self.case_ref is None:
                yield Static("Case reference", classes="form-label")
                yield Input(placeholder="Your service's reference, e.g. YJ-2041", id="f-ref")
            yield Static("Date of birth (YYYY-MM-DD)", classes="form-label")
            yield Input(placeholder="2010-05-14", id="f-dob")
            yield Static("Team", classes="form-label")
            yield Select(teams, allow_blank=self.case_ref is None, id="f-team", prompt="Choose")
            yield Static("Known as (first name or initials only)", classes="form-label")
            yield Input(id="f-known")
            yield Static("Allocated officer", classes="form-label")
            yield Input(id="f-officer")
            yield Static("Gender", classes="form-label")
            yield Select(
                [(g.value, g.value) for g in model.Gender],
                value=model.Gender.NOT_STATED.value,
                allow_blank=False,
                id="f-gender",
            )
            yield Static("Ethnicity", classes="form-label")
            yield Select(
                [(e.value, e.value) for e in model.Ethnicity],
                value=model.Ethnicity.NOT_STATED.value,
                allow_blank=False,
                id="f-ethnicity",
            )
            yield Static("Language", classes="form-label")
            yield Select(LANGUAGES, value="en", allow_blank=False, id="f-language")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.case_ref is not None:
            person = self.book.young_person(self.case_ref)
            self.query_one("#f-dob", Input).value = person.date_of_birth.isoformat()
            self.query_one("#f-team", Select).value = person.team
            self.query_one("#f-known", Input).value = person.known_as or ""
            self.query_one("#f-officer", Input).value = person.officer or ""
            self.query_one("#f-gender", Select).value = str(person.gender)
            self.query_one("#f-ethnicity", Select).value = str(person.ethnicity)
            self.query_one("#f-language", Select).value = str(person.language)
            self.query_one("#f-dob", Input).focus()
        else:
            self.query_one("#f-ref", Input).focus()

    def _line(self, selector: str, what: str) -> str | None:
        """One line of typed text, checked as the CLI checks it (None when empty)."""
        value = self.query_one(selector, Input).value
        problem = outside_text.text_problem(value, multiline=False)
        if problem is not None:
            raise _Refused(f"The {what} {problem}.")
        return value.strip() or None

    def _details(self) -> dict[str, Any]:
        dob_text = self._line("#f-dob", "date of birth") or ""
        dob: dt.date = outside_text.parse_date(dob_text, "The date of birth")
        team = self.query_one("#f-team", Select).value
        if not isinstance(team, str):
            raise _Refused("Choose the young person's team.")
        return {
            "date_of_birth": dob,
            "team": team,
            "known_as": self._line("#f-known", "known-as name"),
            "officer": self._line("#f-officer", "officer's name"),
            "gender": str(self.query_one("#f-gender", Select).value),
            "ethnicity": str(self.query_one("#f-ethnicity", Select).value),
            "language": str(self.query_one("#f-language", Select).value),
        }

    def action_save(self) -> None:
        try:
            details = self._details()
            if self.case_ref is None:
                ref = self._line("#f-ref", "case reference") or ""
                person = self.book.add_young_person(
                    ref, details.pop("date_of_birth"), details.pop("team"), **details
                )
                self.notify(f"Added {person.case_ref}.", title="Saved")
                self.app.pop_screen()
                self.snt.open_young_person(person.case_ref)
                return
            self.book.update_young_person(self.case_ref, **details)
        except (SntError, _Refused) as exc:
            self.show_error(str(exc))
            return
        self.notify(f"{self.case_ref}'s details saved.", title="Saved")
        self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()


class _Refused(Exception):
    """Typed text the form cannot take; its sentence is shown to the officer."""
