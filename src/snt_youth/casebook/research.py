"""The de-identified research extract: files for an evaluator, the key kept here."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from snt_youth.casebook.base import CasebookBase
from snt_youth.errors import InvalidInput

if TYPE_CHECKING:
    import random

    from snt_youth.tracking.research import Coarsening


@attrs.frozen
class ExtractResult:
    """What an extract wrote: where, how many files and young people, and the k reached."""

    extract: str
    folder: Path
    files: tuple[Path, ...]
    people: int
    coarsening: Coarsening


class ResearchCases(CasebookBase):
    """Use cases about the research extract."""

    def research_extract(
        self,
        folder: str | os.PathLike[str],
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        rng: random.Random | None = None,
    ) -> ExtractResult:
        """Write a de-identified extract into ``folder`` (see ``tracking.research``).

        The pseudonyms and date shifts are kept in this database (``research_keys``)
        and never written to the files. The extract is audited with who, when, the
        period, the number of files and the k reached. All or nothing: if a file or
        the key cannot be written, the files already written are removed.
        """
        from snt_youth.private_files import ensure_private_folder, write_private
        from snt_youth.protect import list_matrices
        from snt_youth.tracking.research import build_extract

        if since and until and since > until:
            raise InvalidInput(f"--since {since} is after --until {until}; swap them.")
        target = ensure_private_folder(folder)
        domains: dict[tuple[str, str], str] = {}
        for matrix in list_matrices():
            for column in matrix.columns:
                domains[(matrix.id, column.id)] = column.domain
        with self._store.reading() as tx:
            rows = tx.research_rows()
        extract = build_extract(
            rows,
            k=self.config.research.k,
            since=since,
            until=until,
            iss_teams=[t.id for t in self.config.teams if t.kind == "iss"],
            domains=lambda m, c: domains.get((m, c), "not known"),
            rng=rng,
        )
        existing = [name for name in extract.files if (target / name).exists()]
        if existing:
            raise InvalidInput(
                f"{target} already holds {existing[0]}; choose an empty folder for each extract."
            )
        name = secrets.token_hex(6)
        written: list[Path] = []
        try:
            for file_name, text in extract.files.items():
                written.append(write_private(target / file_name, text))
            made_at = self.clock.now()
            with self._change() as tx:
                tx.record_research_keys(name, made_at, extract.keys)
                c = extract.coarsening
                self._audit(
                    tx,
                    "research-extract",
                    "extract",
                    name,
                    f"period {since or 'start'} to {until or 'today'}; {len(written)} files; "
                    f"{extract.people} young people; k reached {c.reached} (setting {c.k}); "
                    f"{c.left_out} left out; written to {target}",
                )
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        return ExtractResult(name, target, tuple(written), extract.people, extract.coarsening)

    def research_key(self, extract: str) -> list[tuple[str, str, int]]:
        """(case reference, pseudonym, days shifted) of one extract: the service's key."""
        with self._store.reading() as tx:
            refs = {row_id: ref for row_id, ref in tx.case_refs_by_id()}
            return [(refs.get(pid, "(erased)"), p, s) for pid, p, s in tx.research_keys(extract)]


__all__ = ["ExtractResult", "ResearchCases"]
