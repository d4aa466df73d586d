"""A virtual table for the caseload: smooth with tens of thousands of young people.

Textual's DataTable builds a row object per line, which costs most of a second for
10,000 young people, and again on every filter. This widget keeps the rows as plain
tuples, filters and sorts a list of indexes in memory, and renders only the lines on
screen (the Line API), so a keystroke costs a substring scan and a repaint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:  # not imported at run time: the first screen paints before the casebook
    from snt_youth.casebook import CaseloadRow

#: (heading, width, key) for each column, in display order; the key sorts the column.
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("Case ref", 10, "case_ref"),
    ("Known as", 9, "known_as"),
    ("Age", 3, "age"),
    ("Team", 19, "team"),
    ("Stage", 10, "last_stage"),
    ("Screened", 10, "last_screened_on"),
    ("Outcome", 18, "last_outcome"),
    ("Support", 7, "open_support"),
    ("Draft", 5, "drafts"),
)
SORT_KEYS = tuple(key for _h, _w, key in COLUMNS)
_TEAM = SORT_KEYS.index("team")
#: Drawn lines kept for repaints (a few screens' worth, many times over).
_STRIP_CACHE = 5000
#: Which columns stay when the screen is narrow, most needed first: the others drop.
PRIORITY = (
    "case_ref",
    "known_as",
    "last_outcome",
    "drafts",
    "open_support",
    "age",
    "last_screened_on",
    "team",
    "last_stage",
)


def cells_of(row: CaseloadRow, team_names: dict[str, str] | None = None) -> tuple[str, ...]:
    """The text of each column for one row (team names in words when given)."""
    team = (team_names or {}).get(row.team, row.team)
    return (
        row.case_ref,
        row.known_as or "-",
        str(row.age),
        team,
        row.last_stage if row.last_screened_on else "-",
        row.last_screened_on.isoformat() if row.last_screened_on else "-",
        row.last_outcome,
        str(row.open_support) if row.open_support else "-",
        "draft" if row.drafts else "",
    )


def fit(text: str, width: int) -> str:
    """``text`` in ``width`` characters; a longer text ends at a whole word, with "…"."""
    if len(text) <= width:
        return text.ljust(width)
    cut = text[: width - 1]
    if " " in cut and text[width - 1] != " ":
        cut = cut[: cut.rindex(" ")]
    return (cut.rstrip() + "…").ljust(width)


def columns_for(width: int) -> tuple[int, ...]:
    """Indexes of the columns that fit in ``width``, chosen by priority, in display order."""
    chosen: set[int] = set()
    used = 1
    by_key = {key: i for i, (_h, _w, key) in enumerate(COLUMNS)}
    for key in PRIORITY:
        index = by_key[key]
        need = COLUMNS[index][1] + 1
        if used + need <= width or not chosen:
            chosen.add(index)
            used += need
    return tuple(sorted(chosen))


def header_line(width: int = 200) -> str:
    """The column headings that fit in ``width``, laid out like the rows."""
    return " " + " ".join(fit(COLUMNS[i][0], COLUMNS[i][1]) for i in columns_for(width))


class CaseloadTable(ScrollView, can_focus=True):
    """The caseload rows; filter with :meth:`apply`, choose one with Enter."""

    DEFAULT_CSS = """
    CaseloadTable { height: 1fr; }
    CaseloadTable > .caseload-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    CaseloadTable > .caseload-table--draft { color: $text-accent; }
    CaseloadTable > .caseload-table--empty { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "caseload-table--cursor",
        "caseload-table--draft",
        "caseload-table--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="caseload.open", tooltip="Open this young person"),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "to_end(-1)", "First", show=False),
        Binding("end", "to_end(1)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Opened(Message):
        """Enter (or a double click) on a row."""

        case_ref: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[CaseloadRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._haystack: list[str] = []
        self._view: list[int] = []
        #: The rows the last filter matched (before sorting), and what it was.
        self._matched: list[int] = []
        self._last_query: tuple[str, str | None, int] | None = None
        #: Each row's line as drawn, by (row, style kind, scroll x, width).
        self._strips: dict[tuple[int, str, int, int], Strip] = {}
        self._styles: dict[str, Style] = {}
        self._shown_columns = columns_for(200)
        self._width = len(header_line())
        #: Team ids to team names, for the Team column (set by the screen).
        self.team_names: dict[str, str] = {}
        #: Shown when no row is: loading, an empty caseload, or nothing matches.
        self.empty_text = "Loading the caseload..."

    # -- data ---------------------------------------------------------------------
    def set_rows(self, rows: Sequence[CaseloadRow]) -> None:
        """Load the rows once; later filters work on these in memory."""
        self._rows = list(rows)
        names = self.team_names
        self._cells = [cells_of(r, names) for r in self._rows]
        # The filter reads team ids ("north"), not names: "ali" must not find "locality".
        self._haystack = [
            " ".join((*c[:_TEAM], r.team, *c[_TEAM + 1 :])).lower()
            for c, r in zip(self._cells, self._rows, strict=True)
        ]
        self._view = list(range(len(self._rows)))
        self._matched = list(self._view)
        self._last_query = None
        self._strips.clear()

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def shown(self) -> int:
        return len(self._view)

    @property
    def current(self) -> CaseloadRow | None:
        if not self._view:
            return None
        return self._rows[self._view[min(self.cursor, len(self._view) - 1)]]

    def visible_refs(self) -> list[str]:
        """Case references in display order (for tests and the command palette)."""
        return [self._rows[i].case_ref for i in self._view]

    def apply(
        self,
        text: str = "",
        *,
        team: str | None = None,
        sort: str = "case_ref",
        reverse: bool = False,
    ) -> None:
        """Show the rows whose text contains every word of ``text``, in ``team``, sorted."""
        words = text.lower().split()
        hay = self._haystack
        rows = self._rows
        # Typing on narrows the last match: every row the longer text matches, the shorter
        # one matched too (each word only grows or is added), so only those are scanned.
        last = self._last_query
        narrowing = (
            last is not None
            and last[1] == team
            and last[2] == len(rows)
            and text.lower().startswith(last[0])
        )
        candidates = self._matched if narrowing else range(len(rows))
        if team is not None:
            candidates = [i for i in candidates if rows[i].team == team]
        if len(words) == 1:
            (word,) = words
            matched = [i for i in candidates if word in hay[i]]
        else:
            matched = [i for i in candidates if all(w in hay[i] for w in words)]
        self._matched = matched
        self._last_query = (text.lower(), team, len(rows))
        view = list(matched)
        if sort != "case_ref" or reverse:
            view.sort(key=lambda i: _sort_value(rows[i], sort), reverse=reverse)
        self._view = view
        self._set_height(len(view))
        self.cursor = 0
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def _set_height(self, rows: int) -> None:
        """Set the scrollable height without a layout pass of the whole screen.

        Assigning ``virtual_size`` lays out every widget again, which costs more than the
        filter itself on each keystroke. Only this table's scrollbars change, so they are
        updated directly; if a scrollbar appears or goes, that change lays out as usual.
        """
        size = Size(self._width, rows)
        if size == self.virtual_size:
            return
        if not self.is_mounted:
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)

    # -- rendering --------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if not self._view and index == 1:
            muted = self.get_component_rich_style("caseload-table--empty")
            note = f"  {self.empty_text}"
            return Strip([Segment(note, muted)], len(note)).crop_extend(0, width, self.rich_style)
        if index >= len(self._view):
            return Strip.blank(width, self.rich_style)
        row = self._view[index]
        # The filter box keeps focus while the cursor moves, so always show it.
        kind = "cursor" if index == self.cursor else "draft" if self._rows[row].drafts else ""
        key = (row, kind, scroll_x, width)
        strip = self._strips.get(key)
        if strip is None:
            # Each row's strip is made once per column set, style and scroll: the screen
            # is laid out again on every keystroke (the filter box asks for it), and a
            # repaint then costs a lookup per line rather than a new strip.
            if len(self._strips) > _STRIP_CACHE:
                self._strips.clear()
            text = " " + " ".join(
                fit(self._cells[row][i], COLUMNS[i][1]) for i in self._shown_columns
            )
            style = self._style(kind)
            strip = Strip([Segment(text, style)], len(text)).crop_extend(
                scroll_x, scroll_x + width, style
            )
            self._strips[key] = strip
        return strip

    def _style(self, kind: str) -> Style:
        style = self._styles.get(kind)
        if style is None:
            if kind:
                style = self.get_component_rich_style(f"caseload-table--{kind}")
            else:
                style = self.rich_style
            self._styles[kind] = style
        return style

    def notify_style_update(self) -> None:
        # A new theme or focus style: strips and styles are made again.
        self._styles.clear()
        self._strips.clear()
        super().notify_style_update()

    def fit_columns(self, width: int) -> str:
        """Choose the columns for ``width``; return the header line to show above them."""
        self._shown_columns = columns_for(width)
        self._strips.clear()
        header = header_line(width)
        self._width = len(header)
        self.virtual_size = Size(self._width, len(self._view))
        self.refresh()
        return header

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- actions -----------------------------------------------------------------------
    def _set_cursor(self, index: int) -> None:
        if not self._view:
            self.cursor = 0
            return
        self.cursor = max(0, min(index, len(self._view) - 1))
        top = self.scroll_offset.y
        height = max(1, self.size.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_move(self, step: int) -> None:
        self._set_cursor(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._set_cursor(self.cursor + step * max(1, self.size.height - 1))

    def action_to_end(self, direction: int) -> None:
        self._set_cursor(0 if direction < 0 else len(self._view) - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row.case_ref))

    def on_click(self, event: Click) -> None:
        self._set_cursor(self.scroll_offset.y + event.y)
        if event.chain >= 2:
            self.action_open()


def _sort_value(row: CaseloadRow, key: str) -> tuple[int, str | int]:
    value = getattr(row, key)
    if value is None or value == "":
        return (1, "")  # blanks last
    if isinstance(value, int):
        return (0, value)
    return (0, str(value).lower())
