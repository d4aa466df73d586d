"""Shared state and helpers for CLI commands: opening the casebook, config, output."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs
import click

from snt_youth.errors import SntError

if TYPE_CHECKING:
    from snt_youth.casebook import Casebook
    from snt_youth.config import ServiceConfig


class Failed(click.ClickException):
    """An expected failure shown as one line, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


@attrs.define
class Context:
    """What the top-level options chose; commands get it with ``pass_obj``."""

    db_url: str | None = None
    user: str | None = None
    config_path: str | None = None
    key_file: str | None = None
    #: Where a key made by this command was kept (a new database), for the notice.
    new_key_where: str | None = None

    def config(self) -> ServiceConfig:
        from snt_youth import config

        return config.load(self.config_path)

    def open_book(self, *, create: bool = True, plain: bool = False) -> Casebook:
        from snt_youth.casebook import Casebook

        book = Casebook.open(
            self.db_url,
            user=self.user,
            create=create,
            config_path=self.config_path,
            key_file=self.key_file,
            plain=plain,
        )
        if book.new_key_where is not None:
            self.new_key_where = book.new_key_where  # said once the command has succeeded
        return book

    def key_notice(self) -> str | None:
        """The notice of where a key made by this command went, or None if none was made."""
        if self.new_key_where is None:
            return None
        return (
            f"The new database is encrypted; its key is in {self.new_key_where}. Keep a copy "
            "safe with 'snt-youth key save FILE': without the key nobody can read the records."
        )


pass_context = click.make_pass_decorator(Context)


@contextmanager
def fail_cleanly() -> Iterator[None]:
    """Turn an expected failure into one line on stderr and exit code 2."""
    try:
        yield
    except SntError as exc:
        raise Failed(str(exc)) from None


def echo_json(data: Any) -> None:
    """Print data as indented JSON (records are unstructured by the codec first)."""
    from snt_youth import codec

    click.echo(json.dumps(codec.unstructure(data), indent=2, ensure_ascii=False))


def parse_date(value: str | dt.date | None, what: str = "date") -> dt.date | None:
    """A YYYY-MM-DD string as a date from 1900 to 2999, or one sentence and exit 2.

    The check is :func:`snt_youth.outside_text.parse_date`, shared with every face.
    """
    from snt_youth import outside_text

    if value is None or isinstance(value, dt.date):
        return value
    try:
        return outside_text.parse_date(value, what)
    except SntError as exc:
        raise Failed(str(exc)) from None
