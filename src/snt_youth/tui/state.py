"""The terminal app's own small files: its settings, and what was typed but not saved.

Both are private (0600, atomic, through :mod:`snt_youth.private_files`) because a
draft note or a safety action may name a young person. Each carries a format and a
version; a newer version is refused in one sentence. Nothing here touches the
database: a draft becomes a record only when the officer saves it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from snt_youth import locations
from snt_youth.errors import SntError
from snt_youth.private_files import write_private

SETTINGS_FORMAT = "snt-youth-tui-settings"
DRAFTS_FORMAT = "snt-youth-tui-drafts"
FORMAT_VERSION = 1


class StateFileError(SntError):
    """The app's own settings or drafts file cannot be read."""


def _read(path: Path, format_name: str) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StateFileError(
            f"Cannot read {path} ({exc.strerror}); check its permissions."
        ) from exc
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise StateFileError(f"{path} is not valid JSON; move it aside and start again.") from exc
    if not isinstance(data, dict) or data.get("format") != format_name:
        raise StateFileError(f"{path} is not a {format_name} file; move it aside.")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise StateFileError(
            f"{path} was written by a newer snt-youth (format version {version}); upgrade."
        )
    return data


def _write(path: Path, format_name: str, body: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": format_name, "format_version": FORMAT_VERSION, **body}
    write_private(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


@attrs.define
class Settings:
    """What the officer chose in the app, remembered between runs."""

    output_dir: Path
    officer_notes: bool = True
    path: Path = attrs.field(factory=locations.tui_settings_path, repr=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or locations.tui_settings_path()
        data = _read(path, SETTINGS_FORMAT)
        folder = data.get("output_dir")
        return cls(
            output_dir=Path(folder) if isinstance(folder, str) else locations.default_output_dir(),
            officer_notes=bool(data.get("officer_notes", True)),
            path=path,
        )

    def save(self) -> None:
        _write(
            self.path,
            SETTINGS_FORMAT,
            {"output_dir": str(self.output_dir), "officer_notes": self.officer_notes},
        )


@attrs.define
class Drafts:
    """Typing kept until it is saved: keyed by kind and by what it belongs to.

    ``note:YJ-1001`` is a case note in progress; ``safety:42`` is the safety action
    written during screening 42 (stored on the screening when it is completed).
    """

    entries: dict[str, str] = attrs.field(factory=dict)
    path: Path = attrs.field(factory=locations.tui_drafts_path, repr=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Drafts:
        path = path or locations.tui_drafts_path()
        data = _read(path, DRAFTS_FORMAT)
        raw = data.get("entries", {})
        entries = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        return cls(entries=entries, path=path)

    def get(self, key: str) -> str:
        return self.entries.get(key, "")

    def keep(self, key: str, text: str) -> None:
        """Remember ``text`` under ``key`` (empty text forgets it), written at once."""
        if text.strip():
            if self.entries.get(key) == text:
                return
            self.entries[key] = text
        elif key in self.entries:
            del self.entries[key]
        else:
            return
        _write(self.path, DRAFTS_FORMAT, {"entries": self.entries})

    def forget(self, key: str) -> None:
        self.keep(key, "")

    def keys_of(self, kind: str) -> list[str]:
        """What drafts of one kind belong to: the case refs of notes in progress."""
        prefix = f"{kind}:"
        return [k[len(prefix) :] for k in self.entries if k.startswith(prefix)]
