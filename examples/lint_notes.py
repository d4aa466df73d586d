"""Check a case note for survivor-blaming and mutualising wording, with the library.

Run from the repository: ``.venv/bin/python examples/lint_notes.py``

It checks a made-up note, prints each finding like a linter (line:column, rule, the
words found, why, and a better way to write it), then shows the same note rewritten
in accountable language, which has no findings. The young person's own words, in
quotation marks, are never flagged.
"""

from __future__ import annotations

from snt_youth import language

# lint-notes: allow (a note written badly on purpose, to show what the check finds)
NOTE = """\
Home visit, 14 March. Jay (15) and his mum were at home.
Mum said there had been a domestic on Saturday. She was assaulted in the kitchen
and the police were called. Jay said "they fight all the time" and that he hides in
his room when it starts.
Concern: mum has a volatile relationship with Mr B and has failed to protect Jay.
"""

REWRITTEN = """\
Home visit, 14 March. Jay (15) and his mum were at home.
On Saturday Mr B punched Jay's mum in the kitchen; she called the police.
Jay said "they fight all the time" and that he hides in his room when it starts.
Concern: Mr B's violence towards Jay's mum frightens Jay. His mum keeps Jay's
bedroom door locked at night and has told the school who to call.
"""


def show(title: str, text: str) -> int:
    """Print the findings for ``text`` and return how many there were."""
    findings = language.check(text)
    print(f"{title}: {len(findings)} finding(s)")
    for f in findings:
        print(f'  {f.line}:{f.column}  {f.rule_id}  "{f.text}"')
        print(f"      why: {f.explanation}")
        print(f"      try: {f.suggestions[0]}")
    return len(findings)


def main() -> None:
    first = show("The note as written", NOTE)
    second = show("The note rewritten", REWRITTEN)
    assert first > 0 and second == 0
    rule = language.explain("a-domestic")
    print(f"\nMore on one rule ({rule.id}, {rule.category}):")
    print(rule.describe())


if __name__ == "__main__":
    main()
