"""Every path the product uses, defined in one place.

Content folders (``matrices/``, ``worksheets/``) live at the top of the repository
and are copied into the wheel as ``snt_youth/_content/``. When running from a
checkout (editable install) we find them beside ``src/``.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "snt-youth"
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"

DB_ENV = "SNT_YOUTH_DB"
USER_ENV = "SNT_YOUTH_USER"
CONFIG_ENV = "SNT_YOUTH_CONFIG"


def _content_dir(name: str) -> Path:
    installed = PACKAGE_DIR / "_content" / name
    if installed.is_dir():
        return installed
    checkout = PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    return installed  # does not exist; callers report it clearly


def matrices_dir() -> Path:
    """Folder of matrix definitions (TOML)."""
    return _content_dir("matrices")


def worksheets_dir() -> Path:
    """Folder of worksheet templates (Jinja2 HTML + CSS + manifest)."""
    return _content_dir("worksheets")


def user_data_dir() -> Path:
    """Per-user data folder (platformdirs), created on demand by the store."""
    override = os.environ.get("SNT_YOUTH_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The embedded SQLite database used when no URL is given."""
    return user_data_dir() / "snt-youth.sqlite3"


def default_db_url() -> str:
    """The database URL from ``SNT_YOUTH_DB``, else the embedded SQLite default."""
    return os.environ.get(DB_ENV) or f"sqlite:///{default_db_path()}"


def default_config_path() -> Path:
    """The shipped generic service configuration."""
    return DATA_DIR / "service.toml"


def tui_settings_path() -> Path:
    """The terminal app's own settings (the output folder, whether officer notes show)."""
    return user_data_dir() / "tui-settings.json"


def tui_drafts_path() -> Path:
    """The terminal app's unsaved typing (case notes, safety actions), kept privately."""
    return user_data_dir() / "tui-drafts.json"


def default_output_dir() -> Path:
    """Where the terminal app saves worksheets and exports unless told otherwise."""
    return user_data_dir() / "output"
