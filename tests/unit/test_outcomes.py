"""Benefit beside harm: the outcomes view, the regimen comparison and the Overview's headline, as pure functions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from dashboard import filterset, stats, wording
from dashboard.catalog import Catalog, load_catalog
from dashboard.pagespecs import COMPARE, OUTCOMES_PAGE, OVERVIEW, SIDE_EFFECTS_PAGE
from dashboard.views import compare, effects, outcomes, overview
from tests.conftest import DATA


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DATA)


def rows(**columns: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "outcome_id": ["a", "b", "c"],
        "study": ["Trial A", "Trial B", "Trial C"],
        "drug": "racemic ketamine",
        "outcome": ["response", "relapse", "score change"],
        "measure": ["proportion", "proportion", "MD"],
        "scale": ["MADRS", "", "MADRS"],
        "definition": "x",
        "timepoint": "day 1",
        "comparator": "placebo",
        "drug_pct": [55.0, 20.0, np.nan],
        "comparator_pct": [35.0, 40.0, np.nan],
        "n_drug": [100, 100, 50],
        "n_comparator": [100, 100, 50],
        "events_drug": [55, 20, np.nan],
        "events_comparator": [35, 40, np.nan],
        "mean_difference": [np.nan, np.nan, -4.0],
        "mean_difference_low": [np.nan, np.nan, -7.3],
        "mean_difference_high": [np.nan, np.nan, -0.6],
        "study_kind": "RCT, blinded",
        "source_id": "S1",
    }
    return pd.DataFrame(base | columns)


def test_benefit_and_relapse_rows_get_nnt_in_the_right_direction() -> None:
    found = outcomes.with_evidence(rows())
    response, relapse, score = found.itertuples(index=False)
    assert response.number_needed.startswith("NNT 5 (95% CI")
    assert response.per_100 == "about 20 more in every 100 respond"
    assert relapse.number_needed.startswith("NNT 5 (95% CI")  # fewer relapses on the drug is a benefit
    assert relapse.per_100 == "about 20 fewer in every 100 relapse"
    assert score.difference_ci == "−4.00 (−7.30 to −0.60) MADRS points"
    assert score.number_needed == ""
    assert score.interval_note == wording.REPORTED


@pytest.mark.parametrize(
    ("measure", "scale", "estimate", "shown"),
    [
        ("MD", "MADRS", (-4.0, -6.1, -1.9), "−4.00 (−6.10 to −1.90) MADRS points"),
        ("MD", "HAM-D-6", (-2.5, np.nan, np.nan), "−2.50 (no interval printed) HAM-D-6 points"),
        ("SMD", "MADRS", (-0.87, -1.26, -0.48), "SMD −0.87 (−1.26 to −0.48)"),
        ("Hedges g", None, (-1.0, -1.28, -0.73), "Hedges g −1.00 (−1.28 to −0.73)"),
        ("OR", None, (3.94, 1.54, 10.1), "OR 3.94 (1.54 to 10.10)"),
        ("RR", None, (3.4, 1.6, 7.1), "RR 3.40 (1.60 to 7.10)"),
        ("RD", None, (14.2, 3.9, 24.2), "+14.20 (+3.90 to +24.20) percentage points"),
    ],
)
def test_a_reported_estimate_says_its_unit_from_the_row(
    measure: str, scale: str | None, estimate: tuple[float, float, float], shown: str
) -> None:
    assert wording.reported(*estimate, measure, scale) == shown
    assert "scale points" not in shown


def test_shipped_standardised_differences_and_ratios_never_read_as_points(catalog: Catalog) -> None:
    frame = catalog.frame("outcomes")
    assert frame is not None
    found = outcomes.with_evidence(frame).set_index("outcome_id")
    assert found.loc["cochrane-ket-vs-placebo-score-24h", "difference_ci"] == "SMD −0.87 (−1.26 to −0.48)"
    assert found.loc["kishimoto16-score-d1", "difference_ci"] == "Hedges g −1.00 (−1.28 to −0.73)"
    assert found.loc["transform2-madrs-d28", "difference_ci"].endswith("MADRS points")
    assert found.loc["cochrane-ket-vs-placebo-response-24h", "difference_ci"] == "OR 3.94 (1.54 to 10.10)"


def test_nnt_and_nnh_come_from_the_same_function(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    calls: list[str] = []
    real = wording.numbers_needed

    def spy(found: stats.NumbersNeeded, higher_is: Sequence[str]) -> list[str]:
        calls.extend(higher_is)
        return real(found, higher_is)

    monkeypatch.setattr(wording, "numbers_needed", spy)
    outcomes.with_evidence(rows())
    prepared = effects.prepare(catalog.frames(SIDE_EFFECTS_PAGE.tables))
    effects.view(prepared, filterset.Values(filterset.defaults(SIDE_EFFECTS_PAGE.params)))
    assert {"benefit", "harm"} <= set(calls)


def test_the_outcomes_view_narrows_and_draws_only_proportions(catalog: Catalog) -> None:
    prepared = outcomes.prepare(catalog.frames(OUTCOMES_PAGE.tables))
    chosen = filterset.Values(filterset.defaults(OUTCOMES_PAGE.params) | {"outcome": ("response",)})
    view = outcomes.view(prepared, chosen)
    assert set(view.shown["outcome"]) == {"response"}
    (forest,) = view.charts
    assert (forest.data["measure"] == "proportion").all()
    drawn = [t for t in forest.figure.data if t.x is not None and any(x is not None for x in t.x)]
    assert sum(len(t.x) for t in drawn) == int(forest.data["rd_pct"].notna().sum()) > 0


@pytest.mark.parametrize(
    ("regimen", "benefits", "harms", "kinds"),
    [
        ("esk-trd-induction", True, True, "label pool with comparator"),
        ("iv-elekt-d", True, False, "RCT, open-label"),
        ("oral-fixed-dose", False, False, compare.NO_DATA),
    ],
)
def test_a_regimen_column_holds_its_own_trials_rows(
    catalog: Catalog, regimen: str, benefits: bool, harms: bool, kinds: str
) -> None:
    prepared = compare.prepare(catalog.frames(COMPARE.tables))
    column = compare.column(prepared, regimen)
    assert (not column.benefits.empty) is benefits
    assert (not column.harms.empty) is harms
    assert kinds in column.kinds
    assert list(column.benefits.columns) == [c for c in compare.BENEFIT if c in column.benefits.columns]
    assert [label for label, _ in column.facts][:3] == [
        "Drug and route",
        "Dose of one administration",
        "Time to give one dose",
    ]
    regimens = catalog.frame("dosing_regimens")
    assert regimens is not None
    assert regimens.set_index("regimen_id").loc[regimen, "source_id"] in column.sources


def test_missing_evidence_is_said_in_words_never_as_zero(catalog: Catalog) -> None:
    prepared = compare.prepare(catalog.frames(COMPARE.tables))
    view = compare.view(prepared, filterset.Values({"regimen": ("oral-fixed-dose", "no-such-regimen")}))
    assert [c.regimen_id for c in view.columns] == ["oral-fixed-dose"]
    summary = compare.summary_rows(view)
    assert set(summary.loc[summary["part"].isin(["benefit", "harm"]), "detail"]) == {compare.NO_DATA}
    assert "0" not in set(summary["detail"])
    assert view.catalogue.loc[view.catalogue["regimen_id"] == "oral-fixed-dose", "benefit_rows"].item() == 0


def test_the_overview_headline_is_computed_for_each_drug(catalog: Catalog) -> None:
    """On the shipped tables: each drug's placebo-controlled pair, and its studies against other
    treatments under their own heading, favourable or not (KetECT's 46% vs 63% included)."""
    view = overview.prepare(catalog.frames(OVERVIEW.tables))
    by_drug = {pair.drug: pair for pair in view.benefit_harm}
    assert set(by_drug) == {"esketamine", "racemic ketamine"}
    placebo, active = by_drug["esketamine"].tiers
    assert (placebo.heading, active.heading) == ("Against placebo", "Against another treatment")
    assert [line.text.split(",")[0] for line in placebo.harms] == ["Dissociation"]
    assert "NNH 4 (95% CI 3 to 5)" in placebo.harms[0].text
    assert all("quetiapine" in line.text for line in active.benefits)
    assert all("quetiapine" not in line.text for line in placebo.benefits + placebo.harms)
    racemic = {tier.heading: tier for tier in by_drug["racemic ketamine"].tiers}
    against_ect = " ".join(line.text for line in racemic["Against another treatment"].benefits)
    assert "46% on racemic ketamine vs 63% on ECT" in against_ect
    assert "not evidence of no harm" in " ".join(racemic["Against placebo"].gaps)
    none = overview.headline.drug_headline(None, None, "arketamine")
    assert [gap.startswith("The ") and "unavailable" in gap for gap in none.tiers[0].gaps] == [True, True]
