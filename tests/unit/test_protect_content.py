"""The shipped matrices are written for young readers and in Safe & Together language."""

from __future__ import annotations

import re

import attrs
import pytest

from snt_youth import readability
from snt_youth.protect.matrix import (
    Matrix,
    QuestionTemplate,
    list_matrices,
    readability_problems,
)

MATRICES = {m.id: m for m in list_matrices()}

# Words and phrases that blame a survivor or child, or label a young person. From
# DOMAIN.md: name who did what, and never make the survivor or child responsible.
BLAMING = (
    "offender",
    "failure to protect",
    "failed to protect",
    "chose him over",
    "allowed the children",
    "allowed you to see",
    "witnessed",
    "volatile relationship",
    "toxic relationship",
    "a domestic",
    "mutual fighting",
    "provoked",
    "triggered",
    "anger management",
    "why didn't",
    "why did you",
    "why haven't",
    "your fault",  # only allowed as "not your fault", checked below
)


def all_texts(matrix: Matrix) -> list[tuple[str, str]]:
    """Every text in the matrix, young person's and facilitator's."""
    texts = [("title", matrix.title), ("purpose", matrix.purpose)]
    texts += list(matrix.young_person_texts())
    for c in matrix.columns:
        texts.append((f"{c.id}.about", c.about))
    g = matrix.guidance
    for name, items in (
        ("before", g.before),
        ("pacing", g.pacing),
        ("stopping", g.stopping),
        ("new_disclosure", g.new_disclosure),
        ("recording", g.recording),
    ):
        texts += [(f"guidance.{name}[{i}]", t) for i, t in enumerate(items)]
    texts += [(f"closing.facilitator[{i}]", t) for i, t in enumerate(matrix.closing.facilitator)]
    return texts


@pytest.mark.parametrize("matrix_id", sorted(MATRICES))
def test_every_young_person_text_is_short_and_plain(matrix_id: str) -> None:
    assert readability_problems(MATRICES[matrix_id]) == []


@pytest.mark.parametrize("matrix_id", sorted(MATRICES))
def test_young_person_text_as_a_whole_reads_at_about_nine(matrix_id: str) -> None:
    body = " ".join(text for _, text in MATRICES[matrix_id].young_person_texts())
    measured = readability.measure(body)
    assert measured.words > 300  # the check means something only on a real body of text
    assert measured.reading_age <= 9.5, measured


def test_readability_check_catches_a_hard_question() -> None:
    matrix = MATRICES["who-kept-me-safe"]
    column = matrix.columns[0]
    hard = QuestionTemplate(
        opening="Can you articulate the circumstances in which {person} intervened protectively?",
        follow_up=column.questions.follow_up,
        strengths=column.questions.strengths,
    )
    changed = attrs.evolve(matrix, columns=(attrs.evolve(column, questions=hard),))
    problems = readability_problems(changed)
    assert any("columns[0].questions.opening: hard words" in p for p in problems)


@pytest.mark.parametrize("matrix_id", sorted(MATRICES))
def test_no_blaming_or_labelling_language(matrix_id: str) -> None:
    for key, text in all_texts(MATRICES[matrix_id]):
        lowered = text.lower()
        for phrase in BLAMING:
            if phrase == "your fault":
                lowered = lowered.replace("not your fault", "")
            assert not re.search(rf"\b{re.escape(phrase)}\b", lowered), (key, phrase, text)


@pytest.mark.parametrize("matrix_id", sorted(MATRICES))
def test_guidance_covers_safeguarding_a_new_disclosure(matrix_id: str) -> None:
    text = " ".join(MATRICES[matrix_id].guidance.new_disclosure).lower()
    assert "safeguarding" in text
    assert "secret" in text  # never promise confidentiality
    assert "own words" in text


@pytest.mark.parametrize("matrix_id", sorted(MATRICES))
def test_young_person_is_told_they_can_stop(matrix_id: str) -> None:
    intro = " ".join(MATRICES[matrix_id].intro).lower()
    assert "stop" in intro


@pytest.mark.parametrize("matrix_id", sorted(MATRICES))
def test_matrix_text_passes_the_recording_language_check(matrix_id: str) -> None:
    from snt_youth import language

    for key, text in all_texts(MATRICES[matrix_id]):
        findings = language.check(text)
        assert not findings, (key, [f.rule_id for f in findings], text)
