"""``snt-youth lint-notes``: check case notes for survivor-blaming and mutualising wording."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from snt_youth.cli.context import echo_json
from snt_youth.errors import InvalidInput

if TYPE_CHECKING:
    from snt_youth.language.engine import Finding
    from snt_youth.language.rules import RuleSet

JSON_FORMAT = "snt-youth-lint-notes"
JSON_FORMAT_VERSION = 1


def _read(source: str) -> tuple[str, bytes]:
    """The name to show and the raw bytes of ``source`` (a path, or ``-`` for stdin)."""
    if source == "-":
        if sys.stdin.isatty():
            click.echo(
                "Type or paste the note, then press Ctrl-D (Ctrl-Z, Enter on Windows).", err=True
            )
        return "<stdin>", sys.stdin.buffer.read()
    try:
        with open(source, "rb") as handle:
            return source, handle.read()
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {source!r}; check the name and folder.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{source!r} is a folder; give a text file of notes.") from None
    except OSError as exc:
        raise InvalidInput(f"{source!r} cannot be read ({exc.strerror or exc}).") from None


def _human(finding: Finding) -> str:
    suggestion = finding.suggestions[0] if finding.suggestions else ""
    return (
        f'{finding.line}:{finding.column}  {finding.rule_id}  "{finding.text}"  '
        f"{finding.explanation}  → {suggestion}"
    )


@click.command("lint-notes")
@click.argument("source", metavar="[FILE|-]", default="-")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--explain", "explain_id", metavar="RULE", help="Explain one rule and stop.")
@click.option(
    "--list-rules", is_flag=True, help="List the rule ids with their categories and stop."
)
@click.option(
    "--rules",
    "rules_path",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Use this rule file instead of the shipped rules.",
)
@click.option(
    "--markdown/--no-markdown",
    default=None,
    help="Skip code spans and code blocks as well as quotations. Default: on for .md files.",
)
@click.option(
    "--export-vale",
    "vale_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Write the phrase rules as a Vale style in DIR/SntYouth and stop.",
)
def lint_notes(
    source: str,
    as_json: bool,
    explain_id: str | None,
    list_rules: bool,
    rules_path: str | None,
    markdown: bool | None,
    vale_dir: str | None,
) -> None:
    """Check notes for wording that blames a survivor or hides who caused harm.

    Reads FILE, or standard input when FILE is - or left out. Each finding shows
    line:column, the rule, the words found, why they matter and a better way to
    write it. Words in quotation marks are someone's own words and are not checked.

    Exit status: 0 when clean, 1 when there are findings, 2 on an error.

    \b
      echo "Mum failed to protect the children." | snt-youth lint-notes
      snt-youth lint-notes notes.txt --json
      snt-youth lint-notes --list-rules
      snt-youth lint-notes --explain RULE
      snt-youth lint-notes --export-vale styles
    """
    from snt_youth import language

    ruleset = language.load_rules(rules_path)
    if vale_dir is not None:
        from snt_youth.language import vale

        done = vale.export(ruleset, vale_dir)
        click.echo(
            f"Wrote {len(done.written)} Vale rules to {vale_dir}/{vale.STYLE}; "
            f"{len(done.skipped)} rules need context Vale cannot express and are listed "
            f"as not exported in {vale_dir}/{vale.STYLE}/README.md."
        )
        return
    if explain_id is not None:
        rule = language.explain(explain_id, rules=ruleset)
        if as_json:
            echo_json(rule)
        else:
            click.echo(rule.describe())
        return
    if list_rules:
        _list_rules(ruleset, as_json)
        return
    name, data = _read(source)
    text = _decode(data)
    if not text.strip():
        raise InvalidInput(
            f"Nothing to check: {name} is empty; give a file of notes, or pipe text in "
            '(echo "..." | snt-youth lint-notes).'
        )
    if markdown is None:
        markdown = source.lower().endswith((".md", ".markdown"))
    findings = language.check(text, rules=ruleset, markdown=markdown)
    if as_json:
        echo_json(
            {
                "format": JSON_FORMAT,
                "format_version": JSON_FORMAT_VERSION,
                "source": name,
                "rules": ruleset.source,
                "findings": findings,
            }
        )
    else:
        for finding in findings:
            click.echo(_human(finding))
        if findings:
            count = len(findings)
            click.echo(
                f"{count} finding{'s' if count != 1 else ''}. "
                "For more on a rule: snt-youth lint-notes --explain RULE"
            )
        else:
            click.echo("No findings.")
    if findings:
        click.get_current_context().exit(1)


def _decode(data: bytes) -> str:
    from snt_youth.language.engine import as_text

    return as_text(data)


def _list_rules(ruleset: RuleSet, as_json: bool) -> None:
    if as_json:
        echo_json([{"id": r.id, "category": r.category} for r in ruleset])
        return
    width = max(len(r.id) for r in ruleset)
    for rule in ruleset:
        click.echo(f"{rule.id.ljust(width)}  {rule.category}")
