"""The Overview's headline pairs like with like, by a rule stated on the page (one case per clause)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import wording
from dashboard.views import evidence, headline, outcomes
from dashboard.views.headline import comparator_tier


def benefit(study: str, comparator: str, drug_pct: float, comp_pct: float, n: float = np.nan, **kw: object) -> dict:
    row = {"study": study, "drug": "racemic ketamine", "comparator": comparator, "outcome": "response"}
    row |= {"definition": "MADRS", "timepoint": "day 28", "measure": "proportion", "drug_pct": drug_pct}
    row |= {
        "comparator_pct": comp_pct,
        "n_drug": n,
        "n_comparator": n,
        "study_kind": "RCT, blinded",
        "source_id": study.upper(),
    }
    row |= {"mean_difference": np.nan, "mean_difference_low": np.nan, "mean_difference_high": np.nan}
    return row | kw


def harm(comparison: str, comparator: str | None, rate: float, comp_rate: float, n: float, **kw: object) -> dict:
    row = {"effect": "Dissociation", "drug": "racemic ketamine", "timeframe": "acute", "comparator": comparator}
    row |= {"incidence_pct": rate, "comparator_pct": comp_rate, "n_drug": n, "n_comparator": n}
    row |= {"comparison": comparison, "study_kind": "RCT, blinded", "source_id": "H", "population": "adults"}
    return row | kw


def benefits(*rows: dict) -> pd.DataFrame:
    return outcomes.with_evidence(pd.DataFrame(list(rows)))


def harms(*rows: dict) -> pd.DataFrame:
    return evidence.add(evidence.with_comparison(pd.DataFrame(list(rows))))


@pytest.mark.parametrize(
    ("comparator", "tier"),
    [
        ("placebo infusion", "placebo"),
        ("saline", "placebo"),
        ("midazolam (active placebo)", "placebo"),
        ("ECT three times weekly", "active"),
        ("quetiapine XR", "active"),
        (None, None),
        ("", None),
    ],
)
def test_comparators_fall_into_placebo_or_active(comparator: str | None, tier: str | None) -> None:
    assert comparator_tier(comparator) == tier


def test_a_benefit_against_another_treatment_is_never_paired_with_a_harm_against_placebo() -> None:
    found = headline.drug_headline(
        benefits(benefit("elekt-d", "ECT", 55.4, 41.2, 180)),
        harms(harm("pool", "placebo", 41, 9, 300)),
        "racemic ketamine",
    )
    placebo, active = found.tiers
    assert placebo.heading == "Against placebo"
    assert placebo.benefits == ()
    assert "No placebo-controlled benefit" in placebo.gaps[0]
    assert [line.text.startswith("Dissociation") for line in placebo.harms] == [True]
    assert active.heading == "Against another treatment"
    assert "ECT" in active.benefits[0].text
    assert active.harms == ()


def test_an_unfavourable_result_without_group_sizes_is_shown_with_its_rates() -> None:
    """KetECT: remission 46% with ketamine vs 63% with ECT, arm sizes not printed."""
    found = headline.active_tier(
        benefits(benefit("elekt-d", "ECT", 55.4, 41.2, 180), benefit("ketect", "ECT", 46, 63, outcome="remission")),
        None,
        "racemic ketamine",
    )
    assert found is not None
    texts = [line.text for line in found.benefits]
    assert len(texts) == 2
    ketect = next(t for t in texts if "ketect" in t)
    assert "46% on racemic ketamine vs 63% on ECT" in ketect
    assert "No interval: group sizes not reported" in ketect


def test_a_missing_harm_is_a_gap_in_words_never_no_harm() -> None:
    found = headline.placebo_tier(benefits(benefit("karma", "midazolam (active placebo)", 46.9, 33.3)), None, "x")
    assert found.gaps == (wording.no_controlled("benefit", "x", False), wording.no_controlled("harm", "x", True))
    assert "unavailable" in found.gaps[1]
    placebo = headline.placebo_tier(
        benefits(benefit("karma", "midazolam (active placebo)", 46.9, 33.3)),
        harms(harm("other drug", "placebo", 10, 5, 50, drug="esketamine")),
        "racemic ketamine",
    )
    assert placebo.benefits
    assert placebo.harms == ()
    assert placebo.gaps == (
        "No placebo-controlled side-effect figure for racemic ketamine in these tables. This is a gap in the data, "
        "not evidence of no harm.",
    )


def test_a_label_pool_without_a_comparator_is_never_a_comparison() -> None:
    rows = harms(harm("Ketalar label: anaesthesia", None, 12, np.nan, 1000, study_kind="label pool without comparator"))
    assert headline.placebo_tier(None, rows, "racemic ketamine").harms == ()


def test_the_harm_comes_from_the_benefits_study_where_there_is_one() -> None:
    found = headline.placebo_tier(
        benefits(benefit("small", "placebo", 50, 30, 40, study_id="s1")),
        harms(
            harm("big pool", "placebo", 41, 9, 600, study_id="s2"),
            harm("small trial", "placebo", 20, 10, 40, study_id="s1", effect="Nausea"),
        ),
        "racemic ketamine",
    )
    assert [line.text.split(",")[0] for line in found.harms] == ["Nausea"]


def test_a_null_result_reads_as_no_clear_difference() -> None:
    """Lii 2023: 60% vs 50% response with 20 a side, an interval through no difference."""
    found = headline.placebo_tier(benefits(benefit("lii", "saline placebo", 60, 50, 20)), None, "racemic ketamine")
    assert "No clear difference (NNT 10; CI from NNH" in found.benefits[0].text


def test_harms_worded_once_picked_read_the_same_as_harms_worded_first() -> None:
    """The overview hands the headline its harm rows without evidence columns (a million-row table
    would be worded whole to quote a few): the lines must not change."""
    rows = [
        harm("trial a", "placebo", 41, 9, 300),
        harm("trial a", "placebo", 12, 10, 300, effect="Nausea"),
        harm("trial b", "ECT three times weekly", 30, 20, 90),
        harm("trial c", "quetiapine XR", 25, 5, 0, n_drug=np.nan, n_comparator=np.nan),
    ]
    good = benefits(benefit("trial-a", "placebo", 52, 28, 300, study_id="S1"))
    plain = evidence.with_comparison(pd.DataFrame(rows))
    assert "number_needed" not in plain
    worded_first = headline.drug_headline(good, harms(*rows), "racemic ketamine")
    worded_once_picked = headline.drug_headline(good, plain, "racemic ketamine")
    assert worded_once_picked == worded_first
    placebo, active = worded_once_picked.tiers
    assert [line.text.split(":")[0] for line in placebo.harms] == ["Dissociation, acute effect"]
    assert "NNH 4 (95% CI 3 to 4)" in placebo.harms[0].text  # the evidence columns were added to it
    assert len(active.harms) == 2
