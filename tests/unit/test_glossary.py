"""The glossary defines the words the evidence pages use, in order, each with its own anchor."""

from __future__ import annotations

import pytest

from dashboard.glossary import TERMS


@pytest.mark.parametrize(
    ("word", "anchor"),
    [
        ("NNT", "nnt-nnh"),
        ("NNH", "nnt-nnh"),
        ("Response", "response"),
        ("remission", "response"),
        ("relapse", "response"),
        ("Standardised mean difference (SMD)", "smd"),
        ("Confidence interval", "ci"),
        ("Open-label", "open-label"),
        ("Post hoc", "post-hoc"),
    ],
)
def test_each_evidence_term_is_defined_in_plain_words(word: str, anchor: str) -> None:
    term = next(t for t in TERMS if t.anchor == anchor)
    assert word in term.term
    assert len(term.meaning) > 60
    assert all(len(sentence.split()) <= 35 for sentence in term.meaning.split(". "))  # short sentences


def test_terms_are_in_alphabetical_order_with_distinct_anchors() -> None:
    names = [t.term.lower() for t in TERMS]
    assert names == sorted(names)
    assert len({t.anchor for t in TERMS}) == len(TERMS)
