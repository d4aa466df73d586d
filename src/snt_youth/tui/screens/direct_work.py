"""Direct work: the "who tried to keep you safe?" matrix, in the young person's words.

People down the side, the ways of protecting a child across the top. The selected
cell shows its question template. Finishing records the session with
``Casebook.record_session``, which gives "protective adult identified".
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Static

from snt_youth import model
from snt_youth.errors import SntError
from snt_youth.protect import list_matrices, load_matrix
from snt_youth.protect.matrix import ANY_PERSON, Matrix
from snt_youth.tui.dialogs.choose import ChooseDialog
from snt_youth.tui.dialogs.confirm import ConfirmDialog
from snt_youth.tui.dialogs.prompt import PromptDialog
from snt_youth.tui.screens.base import BookScreen
from snt_youth.tui.widgets.caseload_table import fit

CELL_WIDTH = 16


class DirectWorkScreen(BookScreen):
    """The matrix as a grid of people by protective domains."""

    HELP = """\
## Direct work

Fill the matrix with the young person, in their own words.

- **a** adds a person (a role like "Mum" or a first name only).
- Move with the arrow keys. **Enter** writes what the young person said in that cell.
- The panel on the right shows the questions for the selected column.
- **Ctrl+S** records the session. You confirm whether a protective adult was named.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "add_person",
            "Add person",
            id="direct.add-person",
            tooltip="Add a person the young person names",
        ),
        Binding(
            "enter",
            "write",
            "Write",
            id="direct.write",
            tooltip="Write the young person's words in this cell",
        ),
        Binding(
            "ctrl+s",
            "record",
            "Record session",
            id="direct.record",
            tooltip="Record the session with these entries",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="direct.back",
            tooltip="Back (asks first if there are unsaved entries)",
        ),
    ]

    def __init__(self, case_ref: str, matrix_id: str | None = None) -> None:
        super().__init__()
        self.case_ref = case_ref
        self.matrix_id = matrix_id
        self.matrix: Matrix | None = None
        self.people: list[str] = []
        self.words: dict[tuple[str, str], str] = {}
        self.recorded = False

    def compose(self) -> ComposeResult:
        yield Static("", id="dw-title")
        with Horizontal(id="dw-body"):
            yield DataTable(id="matrix-grid", cursor_type="cell", zebra_stripes=True)
            yield Static("", id="cell-questions")
        yield Static("", id="dw-result")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.matrix_id is not None:
            self._use(self.matrix_id)
            return
        matrices = list_matrices()
        if len(matrices) == 1:
            self._use(matrices[0].id)
            return
        self.app.push_screen(
            ChooseDialog("Which matrix?", [(m.id, m.title) for m in matrices]),
            self._chosen,
        )

    def _chosen(self, matrix_id: str | None) -> None:
        if matrix_id is None:
            self.app.pop_screen()
        else:
            self._use(matrix_id)

    def _use(self, matrix_id: str) -> None:
        self.matrix = load_matrix(matrix_id)
        self.matrix_id = matrix_id
        self.query_one("#dw-title", Static).update(
            f"[b]{escape(self.matrix.title)}[/b] · {escape(self.case_ref)} · "
            "press a to add a person"
        )
        self._rebuild()
        self.query_one("#matrix-grid", DataTable).focus()

    # -- the grid --------------------------------------------------------------------
    def _rebuild(self) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        table = self.query_one("#matrix-grid", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        # Headings wrap at whole words, so a narrow column never cuts one.
        headings = [
            textwrap.wrap(c.label, CELL_WIDTH, break_long_words=False) or [c.label]
            for c in matrix.columns
        ]
        table.header_height = max((len(h) for h in headings), default=1)
        table.add_column("Person", width=14)
        for lines in headings:
            table.add_column("\n".join(lines), width=CELL_WIDTH)
        for person in self.people:
            cells = [self._cell_text(person, c.id) for c in matrix.columns]
            table.add_row(person, *cells)
        if self.people:
            table.cursor_coordinate = cursor
        self._show_questions()

    def _cell_text(self, person: str, column_id: str) -> str:
        words = self.words.get((person, column_id), "")
        return fit(words, CELL_WIDTH).rstrip()

    def _current(self) -> tuple[str | None, int]:
        """The person on the cursor row (if any) and the matrix column index (-1: names)."""
        table = self.query_one("#matrix-grid", DataTable)
        row, column = table.cursor_coordinate
        person = self.people[row] if 0 <= row < len(self.people) else None
        return person, column - 1

    def on_data_table_cell_selected(self) -> None:
        # Enter on the grid (the DataTable's own Enter) writes in the cell.
        self.action_write()

    def on_data_table_cell_highlighted(self) -> None:
        self._show_questions()

    def _show_questions(self) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        person, index = self._current()
        panel = self.query_one("#cell-questions", Static)
        if index < 0 or not self.people:
            lines = ["[b]Who could be in the matrix?[/b]"]
            lines += [f"  {escape(r.label)}" for r in matrix.rows]
            panel.update("\n".join(lines))
            return
        column = matrix.columns[index]
        questions = column.questions.render(person or ANY_PERSON)
        lines = [
            f"[b]{escape(column.label.capitalize())}[/b]",
            escape(column.meaning),
            "",
            f"[b]Ask:[/b] {escape(questions.opening)}",
            *(f"  {escape(q)}" for q in questions.follow_up),
            "",
            "[b]Strengths:[/b]",
            *(f"  {escape(q)}" for q in questions.strengths),
        ]
        panel.update("\n".join(lines))

    # -- actions -------------------------------------------------------------------------
    def action_add_person(self) -> None:
        if self.matrix is None:
            return
        examples = ", ".join(r.label for r in self.matrix.rows[:5])

        def added(name: str | None) -> None:
            if not name or not name.strip():
                return
            name = " ".join(name.split())
            if name in self.people:
                self.notify(f"{name} is already in the matrix.")
                return
            self.people.append(name)
            self._rebuild()
            table = self.query_one("#matrix-grid", DataTable)
            table.cursor_coordinate = table.cursor_coordinate._replace(
                row=len(self.people) - 1, column=1
            )

        self.app.push_screen(
            PromptDialog(
                "Who is this person?",
                placeholder="A role or a first name only",
                note=f"For example: {examples}",
            ),
            added,
        )

    def action_write(self) -> None:
        if self.matrix is None:
            return
        person, index = self._current()
        if person is None:
            self.action_add_person()
            return
        if index < 0:
            self.notify("Move right to a column to write in it.")
            return
        column = self.matrix.columns[index]
        key = (person, column.id)

        def written(text: str | None) -> None:
            if text is None:
                return
            if text.strip():
                self.words[key] = text.strip()
            else:
                self.words.pop(key, None)
            self._rebuild()

        questions = column.questions.render(person)
        self.app.push_screen(
            PromptDialog(
                f"{person}: {column.label}",
                value=self.words.get(key, ""),
                placeholder="The young person's own words",
                note=questions.opening,
            ),
            written,
        )

    def entries(self) -> list[model.MatrixEntry]:
        """The matrix as session entries: each filled cell, person by person."""
        assert self.matrix is not None
        found = []
        for person in self.people:
            for column in self.matrix.columns:
                words = self.words.get((person, column.id))
                if words:
                    found.append(model.MatrixEntry(person, column.id, words))
        return found

    def action_record(self) -> None:
        if self.matrix is None or self.recorded:
            return
        entries = self.entries()
        if not entries:
            self.notify("Nothing is written in the matrix yet. Press a to add a person.")
            return
        named = ", ".join(dict.fromkeys(e.person for e in entries))

        def confirmed(answer: bool | None) -> None:
            self._choose_offer(entries, bool(answer))

        self.app.push_screen(
            ConfirmDialog(
                f"The young person named: {named}.\n\nDid they name at least one adult who "
                "tried to keep them safe?"
            ),
            confirmed,
        )

    def _choose_offer(self, entries: list[model.MatrixEntry], confirmed: bool) -> None:
        offers = self.book.offers_open_for_session(self.case_ref)
        if not offers:
            self._record(entries, confirmed, None)
            return
        names = {s.id: s.name for s in self.book.config.support}
        options = [
            (
                str(o.id),
                f"{names.get(o.service, o.service)} ({o.kind.value}, offered {o.offered_on})",
            )
            for o in offers
        ]
        options.append(("none", "Not part of an offer"))
        self.app.push_screen(
            ChooseDialog("Is this session part of a support offer?", options),
            lambda choice: (
                self._record(
                    entries, confirmed, int(choice) if choice and choice != "none" else None
                )
                if choice is not None
                else None
            ),
        )

    def _record(
        self, entries: list[model.MatrixEntry], confirmed: bool, offer_id: int | None
    ) -> None:
        assert self.matrix is not None
        try:
            session = self.book.record_session(
                self.case_ref, self.matrix.id, entries, offer_id=offer_id, confirmed=confirmed
            )
        except SntError as exc:
            self.show_error(exc)
            return
        self.recorded = True
        found = "yes" if session.protective_adult_identified else "no"
        self.query_one("#dw-result", Static).update(
            f"[b]Session recorded.[/b] Protective adult identified: [b]{found}[/b]. "
            "Press Escape to go back."
        )
        self.notify(f"Session recorded. Protective adult identified: {found}.", title="Saved")

    def action_back(self) -> None:
        if self.recorded or not self.words:
            self.app.pop_screen()
            return

        def leave(answer: bool | None) -> None:
            if answer:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmDialog("Leave without recording this session? The entries will be lost."),
            leave,
        )
