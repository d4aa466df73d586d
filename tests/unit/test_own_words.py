"""The product's own words pass the recording-language check.

Every text the product ships is checked: package data (instruments, helplines, service
configuration, the language rules' explanations and suggestions), matrices, worksheet
templates, the docs, the README, the examples' strings, and the strings in the source
(messages, help text and screen labels). Files are found when the
tests are collected, so new content is checked as soon as it is added.

Quoting a phrase on purpose (for example in the docs page about the check) is allowed:
text in quotation marks is someone else's words, and in markdown, code spans and
code blocks are skipped too. In Python, a string that is badly worded on purpose (a
sample note to check) is skipped when its first line, or the line above it, carries
the comment ``# lint-notes: allow``.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.paths import PACKAGE_DATA, ROOT

from snt_youth import language

DATA = PACKAGE_DATA
RULES_FILE = DATA / "language_rules.toml"
# In the rule file, these keys hold patterns or sentences that must be flagged.
RULE_FILE_SKIP = {"flags", "match", "regex", "requires", "unless", "unless_before", "unless_after"}
TEMPLATE_SUFFIXES = {".html", ".htm", ".j2", ".jinja", ".jinja2", ".txt", ".md"}

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_HTML_TAG = re.compile(
    r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.DOTALL | re.IGNORECASE
)


def _blank(match: re.Match[str]) -> str:
    # Keep offsets and line numbers: replace markup with spaces, keep line breaks.
    return re.sub(r"[^\n]", " ", match.group())


def toml_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(key path, text) for every string value meant for people in a TOML file."""
    skip = RULE_FILE_SKIP if path.resolve() == RULES_FILE.resolve() else set()
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def walk(value: Any, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in skip or key == "id":
                    continue
                yield from walk(inner, f"{where}.{key}" if where else key)
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                yield from walk(inner, f"{where}[{i}]")
        elif isinstance(value, str) and " " in value.strip():
            yield where, value  # one-word values are ids and codes, not prose

    yield from walk(data, "")


def template_text(path: Path) -> str:
    """A template's words, with Jinja and HTML markup blanked out."""
    text = path.read_text(encoding="utf-8")
    return _HTML_TAG.sub(_blank, _JINJA.sub(_blank, text))


ALLOW = "lint-notes: allow"


def python_strings(path: Path) -> Iterator[tuple[str, str]]:
    """(line, text) for every string literal in a Python file, docstrings included.

    A literal marked ``# lint-notes: allow`` (on its first line or the line above)
    is a deliberate example of wording to avoid, and is left out.
    """
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value:
            nearby = lines[max(node.lineno - 2, 0) : node.lineno]
            if not any(ALLOW in line for line in nearby):
                yield f"line {node.lineno}", node.value


def problems(path: Path) -> list[str]:
    """Every finding in one shipped file, as 'where: rule "words"'."""
    found: list[str] = []

    def record(where: str, text: str, *, markdown: bool = False) -> None:
        for f in language.check(text, markdown=markdown):
            found.append(f'{where} {f.line}:{f.column}: {f.rule_id} "{f.text}"')

    if path.suffix == ".toml":
        for key, text in toml_texts(path):
            record(f"{key}:", text)
    elif path.suffix == ".py":
        for line, text in python_strings(path):
            record(f"string at {line}:", text)
    elif path.suffix == ".md":
        record("", path.read_text(encoding="utf-8"), markdown=True)
    else:
        record("", template_text(path))
    return found


def shipped_files() -> list[Path]:
    """Every file of words the product ships, as it exists right now."""
    files: set[Path] = set()
    files |= set(DATA.rglob("*.toml"))
    files |= set((ROOT / "matrices").glob("*.toml"))
    worksheets = ROOT / "worksheets"
    wanted = TEMPLATE_SUFFIXES | {".toml"}
    files |= {p for p in worksheets.rglob("*") if p.is_file() and p.suffix in wanted}
    files |= set((ROOT / "docs").rglob("*.md"))
    files |= set((ROOT / "examples").glob("*.py"))
    # Messages, help text and screen labels are the product's words too.
    files |= set((ROOT / "src" / "snt_youth").rglob("*.py"))
    if (ROOT / "README.md").exists():
        files.add(ROOT / "README.md")
    return sorted(files)


SHIPPED = shipped_files()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_words_pass_the_language_check(path: Path) -> None:
    found = problems(path)
    assert not found, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(found)


def test_the_collection_finds_the_product_content() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in SHIPPED}
    assert "src/snt_youth/data/language_rules.toml" in names
    assert "docs/language-check.md" in names
    assert "examples/lint_notes.py" in names


def test_the_rule_file_check_reads_explanations_but_not_flags_examples() -> None:
    keys = [key for key, _ in toml_texts(RULES_FILE)]
    assert any(key.endswith(".explanation") for key in keys)
    assert any(".suggestions[" in key for key in keys)
    assert any(".passes[" in key for key in keys)
    assert not any(".flags[" in key or ".match[" in key for key in keys)


def test_each_kind_of_file_reports_bad_wording(tmp_path: Path) -> None:
    toml = tmp_path / "m.toml"
    toml.write_text('[[cell]]\nid = "failure-to-protect"\nprompt = "Did she provoke him?"\n')
    assert problems(toml) == ['cell[0].prompt: 1:9: provoked "provoke"']
    page = tmp_path / "p.md"
    page.write_text("Say `a domestic` in code, but not a domestic in text.\n")
    assert [p.split(": ")[-1] for p in problems(page)] == ['a-domestic "a domestic"']
    html = tmp_path / "w.html"
    html.write_text('<p class="a domestic">{{ "a domestic" }}\nShe was hit.</p>')
    assert problems(html) == [' 2:5: passive-assault "was hit"']
    script = tmp_path / "e.py"
    script.write_text(
        'x = 1\nprint("They have a toxic relationship.")\n'
        '# lint-notes: allow\nSAMPLE = "They have a toxic relationship."\n'
    )
    assert problems(script) == ['string at line 2: 1:13: toxic-relationship "toxic relationship"']
