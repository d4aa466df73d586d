"""Expected failures, each carrying one sentence a person can act on.

Every face (CLI, TUI, examples) catches :class:`SntError` and shows ``str(error)``
without a traceback. Anything else escaping is a bug.
"""

from __future__ import annotations


class SntError(Exception):
    """An expected failure. ``str(error)`` says what is wrong and what to do."""

    exit_code = 2


class InvalidInput(SntError):
    """A value given by a person is not acceptable (a date, a quarter, a stage...)."""


class NotFound(SntError):
    """A case reference, record id or named thing does not exist."""


class ContentError(SntError):
    """A content file (config, instrument, matrix, rules, template) is malformed.

    The message names the file, the key or line, and the problem.
    """

    def __init__(self, path: object, where: str, problem: str) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem.strip()
        location = f"{self.path}, {where}" if where else self.path
        # One sentence: the file, the place, the problem, and an end mark.
        end = "" if self.problem.endswith((".", "?", "!")) else "."
        super().__init__(f"{location}: {self.problem}{end}")


class StorageError(SntError):
    """The database cannot be used: locked, unwritable, newer version, unreachable."""


class FormatError(SntError):
    """A file the product reads back (backup, draft, export) is of the wrong kind or version."""


class MissingSystemLibrary(SntError):
    """A system library needed for a feature (Pango for PDF output) is not installed."""


class WriteError(SntError):
    """A file with personal data could not be written: the folder is missing or read-only,
    the disk is full, or the name is a folder. Nothing was written under the name."""


class Conflict(SntError):
    """Someone else changed a record after it was opened here. Nothing was saved; the
    message names the record, who changed it and when, and says to reload and try again."""
