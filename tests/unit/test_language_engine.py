"""The check engine: spans, quotations, bad input, size, and properties that always hold."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snt_youth import language
from snt_youth.errors import InvalidInput
from snt_youth.language.quotes import exempt_spans, quoted_spans

RULES = language.load_rules()
BAD = "Mum failed to protect the children."


def check(text: str | bytes, **kwargs: bool) -> list[language.Finding]:
    return language.check(text, rules=RULES, **kwargs)


# ---------------------------------------------------------------- spans and positions


def test_finding_points_at_the_matched_words_with_line_and_column() -> None:
    text = "First line is fine.\n  Later, she was assaulted at home."
    [finding] = check(text)
    assert finding.rule_id == "passive-assault"
    assert text[finding.start : finding.end] == finding.text == "was assaulted"
    assert (finding.line, finding.column) == (2, 14)
    assert finding.category == "hides-perpetrator"
    assert finding.explanation and finding.suggestions


def test_matching_ignores_case_and_inflection_and_crosses_hyphens_and_line_breaks() -> None:
    assert check("MUM FAILED TO PROTECT THEM.")[0].rule_id == "failure-to-protect"
    assert check("She is failing to protect them.")[0].text == "failing to protect"
    assert check("inter-parental conflict")[0].rule_id == "parental-conflict"
    assert check("a volatile\nrelationship")[0].rule_id == "volatile-relationship"


def test_a_phrase_does_not_run_across_a_sentence_end() -> None:
    assert check("It was volatile. Relationship work starts Monday.") == []
    assert check("Mum failed. To protect herself she left.") == []


def test_findings_are_in_order_and_the_longer_match_wins() -> None:
    text = "They fight. She provoked him. Police attended a domestic incident."
    findings = check(text)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    # "domestic incident" (minimises) is reported once, not also as "a domestic"
    assert [f.rule_id for f in findings] == ["they-fight", "provoked", "domestic-incident"]


def test_context_rules_need_their_context() -> None:
    assert check("Jay had an argument with his sister about the remote.") == []
    assert [f.rule_id for f in check("After an argument he punched her.")] == [
        "argument-for-assault"
    ]
    assert check("She was assaulted by Mr B on Friday.") == []
    assert check("Have you ever been hit at home?") == []


def test_possessive_before_names_the_person() -> None:
    assert check("Mr B's violence escalated in May.") == []
    assert [f.rule_id for f in check("The violence escalated in May.")] == ["incident-occurred"]


# ---------------------------------------------------------------- quotations


@pytest.mark.parametrize(
    "text",
    [
        'Mum said "I failed to protect them" and cried.',
        "Mum said “I failed to protect them” and cried.",
        "Mum said 'I failed to protect them' and cried.",
        "Mum said ‘I failed to protect them’ and cried.",
        'Jay wrote: "Dad says she provoked him, but it\'s not true."',
    ],
)
def test_words_in_quotation_marks_are_not_flagged(text: str) -> None:
    assert check(text) == []


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "Mum's worker said she'd failed to protect the kids' safety."
    assert [f.rule_id for f in check(text)] == ["failure-to-protect"]
    assert quoted_spans("It's Jay's and the boys' choice.") == []


def test_an_unclosed_quotation_exempts_nothing() -> None:
    text = 'He said "it was nothing.\n\nShe provoked him.'
    assert [f.rule_id for f in check(text)] == ["provoked"]


def test_markdown_code_is_exempt_only_in_markdown_mode() -> None:
    text = "Write `failed to protect` this way:\n\n```\nShe provoked him.\n```\nDone."
    assert {f.rule_id for f in check(text)} == {"failure-to-protect", "provoked"}
    assert check(text, markdown=True) == []
    assert len(exempt_spans(text, markdown=True)) == 2


# ---------------------------------------------------------------- bad input


def test_empty_and_blank_input_have_no_findings() -> None:
    assert check("") == []
    assert check("  \n\t \n") == []
    assert check(b"") == []


def test_bytes_are_decoded_as_utf8_with_or_without_bom() -> None:
    assert check(BAD.encode())[0].rule_id == "failure-to-protect"
    assert check("\ufeff".encode() + BAD.encode())[0].rule_id == "failure-to-protect"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04\x00\x00binary", "binary file"),
        ("text with a \x00 NUL", "binary file"),
        (b"caf\xe9 latin-1 text", "not UTF-8"),
    ],
)
def test_binary_or_undecodable_input_is_refused_clearly(data: str | bytes, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as info:
        check(data)
    assert "\n" not in str(info.value)


def test_one_megabyte_of_notes_is_checked_in_full() -> None:
    paragraph = (
        "Mr B punched Ms A in the kitchen. Ms A called the police and took the children "
        'upstairs. Jay said "they fight all the time". She was assaulted again on Friday.\n\n'
    )
    text = paragraph * (1_000_000 // len(paragraph) + 1)
    assert len(text) >= 1_000_000
    findings = check(text)
    # exactly one finding per paragraph (the passive sentence), none from the quotation
    assert len(findings) == text.count("\n\n")
    assert {f.rule_id for f in findings} == {"passive-assault"}
    assert findings[-1].line == 2 * len(findings) - 1


def test_text_longer_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from snt_youth.language import engine

    monkeypatch.setattr(engine, "MAX_CHARS", 100)
    with pytest.raises(InvalidInput, match="split it into smaller files"):
        check("x" * 101)


# ---------------------------------------------------------------- properties

# Realistic pieces of notes, good and bad, to build texts from.
PIECES = [
    "Mum failed to protect the children.",
    "She was assaulted on Friday.",
    "They have a volatile relationship.",
    "Police attended a domestic.",
    "Mr B punched Ms A.",
    "Ms A called the police.",
    "Jay named his nan as a safe adult.",
    "He pushed her a bit during an argument.",
    "Jay witnessed domestic violence.",
    "It's Jay's mum's flat.",
    "",
]
notes = st.lists(st.sampled_from(PIECES), max_size=8).map(" ".join)
noisy_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=200,
)
quote_free = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\"“”'‘’`\n\r"),
    max_size=200,
)
fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(st.lists(st.one_of(notes, noisy_text), max_size=4).map(" ".join))
def test_spans_point_at_the_matched_text(text: str) -> None:
    for f in check(text):
        assert text[f.start : f.end] == f.text
        line_start = text.rfind("\n", 0, f.start) + 1
        assert f.line == text.count("\n", 0, f.start) + 1
        assert f.column == f.start - line_start + 1


@fast
@given(st.one_of(notes, quote_free))
def test_text_inside_quotation_marks_is_never_flagged(inner: str) -> None:
    for opening, closing in (('"', '"'), ("“", "”")):
        assert check(f"She said {opening}{inner}{closing} to me.") == []
    # Single marks count as quotation marks when they clearly are: the opening mark
    # starts a word and the closing mark ends one.
    inner = inner.strip()
    for opening, closing in (("‘", "’"), ("'", "'")):
        assert check(f"She said {opening}{inner}{closing} to me.") == []


@fast
@given(notes)
def test_check_is_deterministic_and_the_same_for_str_and_bytes(text: str) -> None:
    first = check(text)
    assert check(text) == first
    assert check(text.encode("utf-8")) == first


@fast
@given(notes, st.sampled_from(["Home visit with Jay at 4pm.\n", 'Jay said: "hi". ', "\n\n"]))
def test_a_clean_prefix_only_shifts_findings(text: str, prefix: str) -> None:
    shifted = [(f.start - len(prefix), f.rule_id) for f in check(prefix + text)]
    assert shifted == [(f.start, f.rule_id) for f in check(text)]


@fast
@given(notes)
def test_findings_never_overlap_within_a_rule(text: str) -> None:
    by_rule: dict[str, int] = {}
    for f in check(text):
        assert f.start >= by_rule.get(f.rule_id, -1)
        by_rule[f.rule_id] = f.end


def test_windows_line_endings_behave_like_unix_ones() -> None:
    unix = 'Jay said "it was\n\nShe provoked him. They have a volatile\nrelationship.\n'
    windows = unix.replace("\n", "\r\n")
    assert [(f.rule_id, f.line, f.column) for f in check(windows)] == [
        (f.rule_id, f.line, f.column) for f in check(unix)
    ]
    assert [f.rule_id for f in check(unix)] == ["provoked", "volatile-relationship"]


def test_the_phrase_check_does_not_backtrack_through_word_splits() -> None:
    # With an ambiguous pattern this would take longer than the universe has left.
    from snt_youth.language.patterns import _PHRASE

    assert _PHRASE.fullmatch("abcdefghij " * 40 + "klm.") is None
    assert _PHRASE.fullmatch("failed to-protect\nthem") is not None


def test_sentences_come_from_the_segmenter_so_abbreviations_do_not_end_them() -> None:
    from snt_youth.language import patterns

    tokens = patterns.Tokens("Dr. Patel saw Mum at 3 p.m. today. She left\n\nEnd")
    numbers = dict(zip(tokens.words, tokens.sentence, strict=False))
    assert numbers["dr"] == numbers["patel"] == numbers["today"]
    assert numbers["she"] == numbers["left"] == numbers["today"] + 1
    assert numbers["end"] == numbers["left"] + 1  # a blank line always ends a sentence
    # A gap may run past "Mr." but never past a full stop that ends a sentence.
    assert [f.rule_id for f in language.check("Kai witnessed Mr. B's violence at home.")] == [
        "frame-witnessed"
    ]
    assert not language.check("Kai witnessed it. Mr B's violence is his choice.")
