"""Certainty by stated rules and published ratings only, and the summary of findings the pages
show: its figures agree with the pools, the sensitivity analyses move them as they say."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from dashboard import certainty, pooling, wording
from dashboard.catalog import load_catalog
from dashboard.views import findings

ROOT = Path(__file__).resolve().parents[2]


def _pooled(measure: str = "MD", low: float = -5.0, high: float = -1.0, i2: float = 0.0) -> pooling.Pooled:
    return pooling.Pooled(measure, 2, (low + high) / 2, low, high, low, high, 0.0, i2, 1.0, None, None, "", ())


@pytest.mark.parametrize(
    ("measure", "low", "high", "rating"),
    [
        ("MD", -5.0, -1.0, certainty.NO_CONCERN),
        ("MD", -5.0, 0.5, certainty.SERIOUS),
        ("RR", 1.1, 2.0, certainty.NO_CONCERN),
        ("RR", 0.9, 2.0, certainty.SERIOUS),
        ("RD", -0.02, 0.1, certainty.SERIOUS),
    ],
)
def test_imprecision_by_rule_asks_whether_the_interval_includes_no_effect(
    measure: str, low: float, high: float, rating: str
) -> None:
    got = certainty.imprecision(_pooled(measure, low, high))
    assert (got.rating, got.basis) == (rating, certainty.BY_RULE)


def test_imprecision_reads_the_wider_of_the_two_intervals() -> None:
    narrow_hksj = pooling.Pooled("MD", 2, -3.0, -5.0, -1.0, -8.0, 2.0, 0.0, 0.0, 1.0, None, None, "", ())
    assert certainty.imprecision(narrow_hksj).rating == certainty.SERIOUS


@pytest.mark.parametrize(
    ("i2", "rating"),
    [
        (0.0, certainty.NO_CONCERN),
        (40.0, certainty.NO_CONCERN),
        (40.1, certainty.SERIOUS),
        (75.0, certainty.SERIOUS),
        (75.1, certainty.VERY_SERIOUS),
    ],
)
def test_inconsistency_by_rule_follows_i2_thresholds(i2: float, rating: str) -> None:
    assert certainty.inconsistency(_pooled(i2=i2)).rating == rating


def test_overall_certainty_is_not_rated_while_a_domain_lacks_a_published_rating() -> None:
    got = certainty.certainty({"risk_of_bias": "serious", "risk_of_bias_source_id": "X"}, _pooled())
    assert got.overall == certainty.NOT_RATED
    assert got.missing == ("indirectness", "publication bias")


def test_overall_certainty_counts_down_from_high_when_every_domain_is_rated() -> None:
    analysis = {
        "risk_of_bias": "serious",
        "risk_of_bias_source_id": "A",
        "indirectness": "no serious concern",
        "indirectness_source_id": "A",
        "publication_bias": "no serious concern",
        "publication_bias_source_id": "A",
    }
    assert certainty.certainty(analysis, _pooled()).overall == "moderate"
    assert certainty.certainty(analysis, _pooled(low=-5.0, high=1.0, i2=80.0)).overall == "very low"


def _inputs() -> findings.Inputs:
    catalog = load_catalog(ROOT / "data")
    inputs = findings.prepare_inputs(catalog.frames(list(catalog.tables)))
    assert inputs is not None
    return inputs


def _analysis(inputs: findings.Inputs, analysis_id: str) -> pd.Series:
    return inputs.analyses.set_index("analysis_id", drop=False).loc[analysis_id]


def test_every_shipped_analysis_has_a_finding_with_the_pooled_figures() -> None:
    inputs = _inputs()
    shown = findings.findings(inputs)
    assert [f.analysis_id for f in shown.all] == inputs.analyses["analysis_id"].tolist()
    for line in shown.all:
        analysis = inputs.analyses.set_index("analysis_id").loc[line.analysis_id]
        rows, missing = findings.rows_of(inputs, analysis)
        assert missing == []
        result = pooling.pool(rows, str(analysis["measure"]))
        assert isinstance(result, pooling.Pooled)
        if result.measure == "RR":  # a ratio prints unsigned
            assert f"RR {result.estimate:.2f} (95% CI {result.low:.2f} to {result.high:.2f})" == line.relative
        else:
            assert f"{result.estimate:+.2f}".replace("-", "−") in line.relative
            assert f"{result.low:+.2f}".replace("-", "−") in line.relative
        assert line.participants.endswith(f"({result.k} studies)")
        assert line.certainty.startswith("not rated")  # no published GRADE rating is in the dataset yet


def test_the_aspire_pool_agrees_with_the_sponsors_own_pooled_figure() -> None:
    """Canuso 2021 pooled ASPIRE I and II: -3.8 (-5.75 to -1.89) MADRS points at 24 h."""
    line = next(f for f in findings.findings(_inputs()).all if f.analysis_id == "esk-mdsi-madrs-24h")
    assert line.relative == "−3.85 (95% CI −5.79 to −1.91) MADRS points"
    assert "read the wider one" in line.hksj  # the two trials agree almost exactly


def test_leave_one_out_shows_each_trial_alone_in_a_two_trial_pool() -> None:
    line = next(f for f in findings.findings(_inputs(), "leave-one-out").all if f.analysis_id == "esk-trd-madrs-d28")
    assert "without TRANSFORM-2: TRANSFORM-3 (65 and over) alone, −3.60 (95% CI −7.20 to +0.07)" in line.sensitivity
    assert "without TRANSFORM-3 (65 and over): TRANSFORM-2 alone, −4.00 (95% CI −7.31 to −0.64)" in line.sensitivity


def test_low_risk_of_bias_sensitivity_says_when_no_trial_qualifies() -> None:
    line = findings.findings(_inputs(), "low-rob").all[0]
    assert "no trial in this pool has a published overall low risk-of-bias judgement" in line.sensitivity


def test_rct_only_sensitivity_drops_post_hoc_rows_and_the_pool_says_it_had_them() -> None:
    inputs = _inputs()
    extra = pd.DataFrame(
        [
            {
                "analysis_id": "with-post-hoc",
                "title": "t",
                "outcome_ids": "aspire1-madrs-24h; aspire2-madrs-24h; aspire-pooled-madrs-d25",
                "drug": "esketamine",
                "outcome": "score change",
                "timepoint_window": "w",
                "measure": "MD",
            }
        ]
    )
    mixed = findings.Inputs(extra, inputs.outcomes, inputs.low_rob)
    line = findings.findings(mixed, "rct-only").all[0]
    assert line.note == "includes post hoc or secondary-summary figures"
    assert line.sensitivity.endswith("−3.85 (95% CI −5.79 to −1.91) MADRS points, k = 2")
    assert line.prediction.startswith("−")  # three studies: a prediction interval


def test_findings_narrow_to_the_chosen_regimens_and_keep_seven_first() -> None:
    inputs = _inputs()
    assert [f.analysis_id for f in findings.findings(inputs, regimen_ids=["esk-mdsi"]).all] == ["esk-mdsi-madrs-24h"]
    # benefits and harms of one comparison together
    assert [f.analysis_id for f in findings.findings(inputs, regimen_ids=["esk-trd-induction"]).all] == [
        "esk-trd-madrs-d28",
        "esk-trd-sbp40-d28",
        "esk-trd-dbp25-d28",
    ]
    assert findings.findings(inputs, drugs=["racemic ketamine"]).all == ()
    many = dataclasses.replace(inputs, analyses=pd.concat([inputs.analyses] * 3, ignore_index=True))
    shown = findings.findings(many)
    assert (len(shown.first), len(shown.rest)) == (7, 3 * len(inputs.analyses) - 7)
    assert len(shown.frame) == 3 * len(inputs.analyses)
    assert list(shown.frame.columns)[:3] == ["Comparison", "Outcome", "Assumed risk with comparator"]


def test_a_pooled_side_effect_reads_per_1000_with_the_number_needed_to_harm() -> None:
    """The label's counts, 29 of 346 vs 1 of 222 (ages 18-64) and 12 of 72 vs 1 of 65 (65 and over),
    pool to a risk ratio; the card gives the risks per 1,000 at the pooled comparator risk and an NNH."""
    inputs = _inputs()
    line = next(f for f in findings.findings(inputs).all if f.analysis_id == "esk-trd-sbp40-d28")
    assert line.outcome.startswith("Systolic BP rise ≥40 mmHg (harm: fewer is better)")
    assert line.participants == "705 (2 studies)"  # 346 + 222 + 72 + 65
    assert line.comparator_risk == "7 per 1,000"  # 2 of 287
    result = pooling.pool(findings.rows_of(inputs, _analysis(inputs, "esk-trd-sbp40-d28"))[0], "RR")
    assert isinstance(result, pooling.Pooled)
    absolute = pooling.absolute(result.estimate, result.low, result.high, 2 / 287)
    assert line.drug_risk.startswith(f"{absolute.drug_per_1000} per 1,000")
    assert line.number_needed.startswith("NNH ")
    assert line.relative.startswith("RR ")
    # the HKSJ interval of two studies with one comparator event each is wide: imprecision is rated down
    assert "imprecision: serious (rated by rule" in line.reasons


def test_a_served_side_effects_table_without_ids_leaves_the_harm_pools_unpooled() -> None:
    """An analyst's side-effect file may leave effect_id out: the pools then say what is missing."""
    inputs = _inputs()
    catalog = load_catalog(ROOT / "data")
    frames = dict(catalog.frames(list(catalog.tables)))
    frames["side_effects"] = frames["side_effects"].drop(columns="effect_id")
    bare = findings.prepare_inputs(frames)
    assert bare is not None
    line = next(f for f in findings.findings(bare).all if f.analysis_id == "esk-trd-sbp40-d28")
    assert line.note.startswith("rows not in the table served now, left out: spravato-trd-pool-systolic")
    assert len(findings.findings(bare).all) == len(inputs.analyses)


def test_no_analyses_table_means_no_findings() -> None:
    assert findings.findings(None).all == ()


def test_the_printable_summary_carries_each_pool_on_one_line() -> None:
    notes = findings.summary_notes(findings.findings(_inputs()))
    assert len(notes) == 4
    assert notes[0].startswith("Pooled: Esketamine nasal spray added to standard care")
    assert "−3.85 (95% CI −5.79 to −1.91) MADRS points; HKSJ −4.49 to −3.21" in notes[0]
    assert "certainty: not rated" in notes[0]
    assert findings.summary_notes(None) == ()


def test_a_risk_ratio_pool_passes_the_validator_and_reads_per_1000(tmp_path: Path) -> None:
    """Two made-up trials with counts (a copy of the data, never the shipped files): the pool is
    accepted, and its card gives the assumed and corresponding risks per 1,000 with the RR."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    outcomes = pd.read_csv(folder / "outcomes.csv", dtype=str, keep_default_na=False)
    counts = {"lii23-response-d1": ("12", "20", "10", "20"), "elektd-response-eot": ("108", "195", "70", "170")}
    for oid, (e_d, n_d, e_c, n_c) in counts.items():
        row = outcomes["outcome_id"] == oid
        outcomes.loc[row, ["events_drug", "n_drug", "events_comparator", "n_comparator"]] = [e_d, n_d, e_c, n_c]
    outcomes.to_csv(folder / "outcomes.csv", index=False)
    analyses = pd.read_csv(folder / "analyses.csv", dtype=str, keep_default_na=False)
    from dashboard.schema.analyses import CONTINUITY_RULES

    made_up = analyses.iloc[0].copy()
    made_up[["analysis_id", "outcome_ids", "drug", "outcome", "measure", "continuity"]] = [
        "made-up-rr",
        "lii23-response-d1; elektd-response-eot",
        "racemic ketamine",
        "response",
        "RR",
        CONTINUITY_RULES[0],
    ]
    pd.concat([analyses, made_up.to_frame().T]).to_csv(folder / "analyses.csv", index=False)
    catalog = load_catalog(folder)
    assert catalog.tables["analyses"].problems == ()
    inputs = findings.prepare_inputs(catalog.frames(list(catalog.tables)))
    line = next(f for f in findings.findings(inputs).all if f.analysis_id == "made-up-rr")
    result = pooling.pool(inputs.outcomes.loc[["lii23-response-d1", "elektd-response-eot"]], "RR")
    assert isinstance(result, pooling.Pooled)
    assert result.comparator_risk == pytest.approx(80 / 190)
    absolute = pooling.absolute(result.estimate, result.low, result.high, 80 / 190)
    assert line.comparator_risk == "421 per 1,000"
    assert line.drug_risk == (
        f"{absolute.drug_per_1000} per 1,000 (95% CI {absolute.drug_low_per_1000} to {absolute.drug_high_per_1000})"
    )
    assert line.relative.startswith(f"RR {result.estimate:.2f} (95% CI {result.low:.2f} to {result.high:.2f})")
    assert line.participants == "405 (2 studies)"
    diffs = [80 / 190 * (x - 1) for x in (result.estimate, result.low, result.high)]
    assert line.number_needed == wording.number_needed(*diffs, higher_is="benefit")
    assert line.number_needed.startswith("NNT ")


def test_an_analysis_naming_rows_the_served_outcomes_lack_says_so_instead_of_failing() -> None:
    inputs = _inputs()
    fewer = dataclasses.replace(inputs, outcomes=inputs.outcomes.drop(index="aspire2-madrs-24h"))
    line = next(f for f in findings.findings(fewer).all if f.analysis_id == "esk-mdsi-madrs-24h")
    assert line.relative == pooling.ONE_STUDY
    assert line.note == "rows not in the table served now, left out: aspire2-madrs-24h"


def test_the_overview_puts_each_drugs_pools_above_its_benefit_beside_harm() -> None:
    from dashboard.pagespecs import OVERVIEW
    from dashboard.views import overview

    catalog = load_catalog(ROOT / "data")
    view = overview.prepare(catalog.frames(OVERVIEW.tables))
    assert set(view.pooled) == {"esketamine"}  # no racemic ketamine pool is declared
    assert len(view.pooled["esketamine"]) == 4  # two benefit pools, two harm pools
    assert view.pooled["esketamine"][2].startswith(
        "Esketamine nasal spray with a newly started oral antidepressant in treatment-resistant depression: a systolic "
        "blood pressure rise of 40 mmHg or more: RR 14.25 (95% CI 3.47 to 58.57): 99 per 1,000 (95% CI 24 to 408) "
        "against 7 per 1,000 with the comparator; 705 (2 studies)"
    )
    assert view.pooled["esketamine"][0] == (
        "Esketamine nasal spray added to standard care in depression with suicidal ideation: MADRS change at 24 "
        "hours: −3.85 (95% CI −5.79 to −1.91) MADRS points; 230 in the 1 of 2 studies with group sizes in the "
        "dataset (2 studies); "
        "certainty not rated: no published rating of risk of bias, indirectness, publication bias."
    )


def test_each_pool_names_the_published_risk_of_bias_of_its_studies_or_says_there_is_none() -> None:
    """Risk of bias per study, from risk_of_bias.csv: the tool, the source, the domains at each level;
    a study with no published assessment in the dataset says so rather than guessing."""
    inputs = _inputs()
    shown = {f.analysis_id: f.risk_of_bias for f in findings.findings(inputs).all}
    aspire = "Cochrane risk-of-bias tool (RoB 1), COCH21: low in 3 and unclear in 2 of 5 domains"
    assert shown["esk-mdsi-madrs-24h"] == (
        f"ASPIRE I: {aspire}, no overall judgement published; ASPIRE II: {aspire}, no overall judgement published"
    )
    assert shown["esk-trd-madrs-d28"].startswith("TRANSFORM-2: no published risk-of-bias assessment in the dataset")


def test_a_published_overall_judgement_is_shown_in_words() -> None:
    rob = pd.DataFrame(
        {
            "study_id": ["s1", "s1", "s1"],
            "tool": ["RoB 2"] * 3,
            "domain": ["randomisation process", "missing outcome data", "overall"],
            "judgement": ["low", "some concerns", "some concerns"],
            "source_id": ["X"] * 3,
        }
    )
    assert findings.rob_summaries(rob) == {
        "s1": "RoB 2, X: low in 1 and some concerns in 1 of 2 domains, overall some concerns"
    }
    assert findings.rob_summaries(None) == {}


def test_the_summary_keeps_only_the_side_effect_rows_its_analyses_pool() -> None:
    """Every page with a summary keeps its inputs: a copy of every side-effect row with an id would
    be a copy of an analyst's million-row extract per page. The findings must not change."""
    catalog = load_catalog(ROOT / "data")
    frames = catalog.frames(list(catalog.tables))
    inputs = findings.prepare_inputs(frames)
    assert inputs is not None
    assert inputs.effects is not None
    named = findings.named_effects(inputs.analyses)
    assert named  # the shipped analyses pool some side-effect rows
    assert set(inputs.effects.index) == named
    effects = frames["side_effects"]
    assert effects is not None
    assert len(inputs.effects) < effects["effect_id"].notna().sum()
    studies = frames["studies"]
    assert studies is not None
    names = dict(zip(studies["study_id"], studies["name"], strict=True))
    kinds = dict(zip(studies["study_id"], studies["kind"], strict=True))
    every_row = dataclasses.replace(inputs, effects=findings.harm_rows(effects, names, kinds))
    assert len(every_row.effects) == effects["effect_id"].notna().sum()  # type: ignore[arg-type]
    assert findings.findings(every_row).all == findings.findings(inputs).all
