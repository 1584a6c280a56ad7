"""Issue 14, big documents: a text over spaCy's ``max_length`` (1,000,000 characters) is tokenised line
by line like any other, with the same tokens and exact offsets, instead of failing with E088."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.text.tokens import japanese_nlp, token_boundaries, tokenize

from .conftest import RULES, SEED


def test_a_document_over_max_length_gives_the_same_tables(seed_result, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed with spaCy's max_length lowered below its length: every table the same."""
    nlp = japanese_nlp()
    assert len(seed_result.source) > 3_000
    monkeypatch.setattr(nlp, "max_length", 1_000)
    with pytest.raises(ValueError, match="E088"):
        nlp.make_doc(seed_result.source)  # what the tokens stage used to call
    sectioned = pipeline.extract(SEED, rules_dir=RULES)
    assert sectioned.rows == seed_result.rows


def test_tokens_of_a_text_over_a_million_characters() -> None:
    line = "平成21年度の地域クラスター関連予算は134億円である。\n"
    text = line * (1_050_000 // len(line) + 1)
    assert len(text) > japanese_nlp().max_length
    doc = tokenize(text)
    assert doc.text == text
    starts, ends = token_boundaries(doc)
    words = [t for t in doc if not t.is_space]
    assert {t.idx for t in words} == starts and {t.idx + len(t.text) for t in words} == ends
    assert sorted(doc.user_data["token_offsets"]) == [t.idx for t in doc]
