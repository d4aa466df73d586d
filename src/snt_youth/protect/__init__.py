"""Direct work: the "who tried to keep you safe?" matrices and session entries.

- :mod:`snt_youth.protect.matrix` loads and validates matrix definitions (TOML).
- :mod:`snt_youth.protect.session` checks session entries, reads the entries file,
  and derives the "protective adult identified" outcome.

Both are pure: storing sessions is the Casebook's job.
"""

from __future__ import annotations

from snt_youth.protect.matrix import (
    Closing,
    Column,
    Guidance,
    Matrix,
    QuestionTemplate,
    RowPrompt,
    list_matrices,
    load_matrix,
    parse_matrix,
    readability_problems,
)
from snt_youth.protect.session import (
    SessionInput,
    dump_entries,
    parse_entries,
    protective_adult_identified,
    read_entries_file,
    validate_entries,
    validate_input,
)

__all__ = [
    "Closing",
    "Column",
    "Guidance",
    "Matrix",
    "QuestionTemplate",
    "RowPrompt",
    "SessionInput",
    "dump_entries",
    "list_matrices",
    "load_matrix",
    "parse_entries",
    "parse_matrix",
    "protective_adult_identified",
    "read_entries_file",
    "readability_problems",
    "validate_entries",
    "validate_input",
]
