"""Direct work with the "who tried to keep you safe?" matrix, using the library.

Loads the main matrix, shows the question templates for one person, reads a session
entries file, and works out the "protective adult identified" outcome. Needs no
database: storing the session is the Casebook's job.

Run it with:  python examples/direct_work.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from snt_youth.errors import SntError
from snt_youth.model import MatrixEntry
from snt_youth.private_files import write_private
from snt_youth.protect import (
    SessionInput,
    dump_entries,
    list_matrices,
    load_matrix,
    protective_adult_identified,
    read_entries_file,
    validate_entries,
    validate_input,
)


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def main() -> int:
    print("Matrices available:")
    for m in list_matrices():
        print(f"  {m.id} (v{m.version}): {m.title}")

    matrix = load_matrix("who-kept-me-safe")
    print(f"\n{matrix.title}")
    print("Columns:", ", ".join(f"{c.id} = {c.label!r}" for c in matrix.columns))

    # The question template for one column, filled in for the person the young person named.
    column = matrix.column("safe")
    questions = column.questions.render("Nan")
    print(f"\nQuestions about Nan, column {column.label!r}:")
    print("  opening:  ", questions.opening)
    for q in questions.follow_up:
        print("  follow-up:", q)
    for q in questions.strengths:
        print("  strengths:", q)

    # A champion writes the entries file after the session; here we write one for the demo.
    session = SessionInput(
        matrix_id=matrix.id,
        entries=(
            MatrixEntry(
                person="Mum", domain="safe", words="She took me to Nan's when it got loud."
            ),
            MatrixEntry(person="Nan", domain="cared", words="She always had tea ready."),
        ),
        reflection="Mum did more than I thought.",
        next_steps="Show Mum the sheet.",
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "session.json"
        write_private(path, dump_entries(session))  # the young person's words: 0600, atomic
        recorded = validate_input(matrix, read_entries_file(path), source=str(path))

    print(f"\nEntries read back: {len(recorded.entries)}")
    outcome = protective_adult_identified(matrix, recorded.entries)
    print("Protective adult identified:", yes_no(outcome))
    print("With no entries:", yes_no(protective_adult_identified(matrix, [])))

    # A domain that is not a column gives one clear sentence, never a traceback.
    try:
        validate_entries(matrix, [MatrixEntry(person="Dad", domain="brave")])
    except SntError as error:
        print("\nA mistake is reported like this:", error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
