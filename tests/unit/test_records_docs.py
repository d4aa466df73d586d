"""Every command shown in docs/records.md is a real command whose options parse."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from snt_youth.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "records.md"
_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def _commands() -> list[list[str]]:
    found = []
    for block in _BLOCK.findall(DOC.read_text(encoding="utf-8")):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("snt-youth "):
                found.append(shlex.split(line)[1:])
    return found


COMMANDS = _commands()


def test_the_page_shows_commands() -> None:
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_a_documented_command_parses(args: list[str]) -> None:
    command: click.Command = cli
    rest = list(args)
    ctx = click.Context(cli)
    while isinstance(command, click.Group) and rest:
        sub = command.get_command(ctx, rest[0])
        assert sub is not None, f"no command {rest[0]!r} in {args}"
        command, rest = sub, rest[1:]
    assert not isinstance(command, click.Group), args
    command.make_context(command.name or "", rest)  # raises on an unknown option or bad value
