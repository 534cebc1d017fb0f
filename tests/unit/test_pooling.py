"""Random-effects pooling: published metafor results, a two-study example worked by hand, the
zero-cell rule, absolute effects, the analyses table's cross-table rules, and every shipped
analysis recomputed with the DerSimonian-Laird formulas written out here."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

# metafor's results for the Kacker (2004) example and metafor's escalc effect sizes for
# dat.fine1993, as statsmodels ships them beside its own tests
# (statsmodels/stats/tests/results/results_meta.py in the statsmodels repository).
from statsmodels.stats.tests.results import results_meta

from dashboard import pooling
from dashboard.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]

# The Kacker (2004) interlaboratory example that results_meta's exk1_* results were computed on
# (the same arrays as statsmodels' TestMetaK1).
KACKER_Y = [61.00, 61.40, 62.21, 62.30, 62.34, 62.60, 62.70, 62.84, 65.90]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]

# dat.fine1993 arms e2i/nei (treated) and c2i/nci (control), the counts metafor's escalc used for
# results_meta's y_rr, v_rr, y_rd, v_rd (as in statsmodels' TestEffectsizeBinom).
FINE_E = [11, 18, 21, 14, 42, 80, 13, 37, 23, 19, 106, 170, 34, 18, 13, 12, 42]
FINE_NE = [19, 34, 72, 22, 70, 183, 26, 61, 36, 45, 246, 386, 59, 45, 14, 26, 74]
FINE_C = [12, 12, 15, 5, 13, 33, 18, 30, 12, 14, 76, 46, 17, 3, 14, 10, 40]
FINE_NC = [22, 35, 68, 20, 32, 94, 50, 55, 25, 35, 208, 141, 32, 15, 18, 19, 75]


def test_dersimonian_laird_matches_metafor() -> None:
    """rma(y, v, method="DL") and rma(..., test="knha") on Kacker's example."""
    dl, knha = results_meta.exk1_dl, results_meta.exk1_dl_hksj
    got = pooling.combine(KACKER_Y, KACKER_V)
    assert got.estimate == pytest.approx(dl.b, abs=1e-10)
    assert got.se == pytest.approx(dl.se, abs=1e-10)
    assert (got.low, got.high) == pytest.approx((dl.ci_lb, dl.ci_ub), abs=1e-9)
    assert got.tau2 == pytest.approx(dl.tau2, abs=1e-10)
    assert got.q == pytest.approx(dl.QE, abs=1e-9)
    assert got.i2 == pytest.approx(dl.I2, abs=1e-8)  # both in percent
    assert (got.hksj_low, got.hksj_high) == pytest.approx((knha.ci_lb, knha.ci_ub), abs=1e-9)


def test_prediction_interval_uses_t_with_k_minus_2_degrees_of_freedom() -> None:
    dl = results_meta.exk1_dl
    got = pooling.combine(KACKER_Y, KACKER_V)
    assert got.pi is not None
    half = 2.3646242510102993 * math.sqrt(dl.tau2 + dl.se**2)  # t(0.975, 7), from tables
    assert got.pi == pytest.approx((dl.b - half, dl.b + half), abs=1e-9)


@pytest.mark.parametrize(("measure", "y", "v"), [("RR", "y_rr", "v_rr"), ("RD", "y_rd", "v_rd")])
def test_study_effects_match_metafor_escalc(measure: str, y: str, v: str) -> None:
    expected = results_meta.eff_prop1
    for i, counts in enumerate(zip(FINE_E, FINE_NE, FINE_C, FINE_NC, strict=True)):
        eff, var, corrected = pooling.binary_effect(*counts, measure)
        assert eff == pytest.approx(getattr(expected, y)[i], rel=1e-12)
        assert var == pytest.approx(getattr(expected, v)[i], rel=1e-12)
        assert not corrected


def test_two_studies_worked_by_hand() -> None:
    """y = 1 and 3, both with variance 1. Fixed-effect weights 1 and 1, mean 2; Q = 1 + 1 = 2 on
    1 df; C = 2 - 2/2 = 1; tau^2 = (2 - 1) / 1 = 1. Random-effects weights 1/2 each: mean 2, SE 1,
    95% CI 2 -/+ 1.96. I^2 = (2 - 1) / 2 = 50%. HKSJ: variance (1/2 x 1 + 1/2 x 1) / 1 = 1, so
    2 -/+ t(0.975, 1) = 12.706. No prediction interval with two studies."""
    got = pooling.combine([1.0, 3.0], [1.0, 1.0])
    assert got.estimate == pytest.approx(2.0)
    assert got.tau2 == pytest.approx(1.0)
    assert got.i2 == pytest.approx(50.0)
    assert (got.low, got.high) == pytest.approx((2 - 1.959964, 2 + 1.959964), abs=1e-6)
    assert (got.hksj_low, got.hksj_high) == pytest.approx((2 - 12.706205, 2 + 12.706205), abs=1e-6)
    assert got.weights == pytest.approx((0.5, 0.5))
    assert got.pi is None


def test_negative_tau2_is_zero_and_the_pool_is_the_fixed_effect_one() -> None:
    """Q below its degrees of freedom: DL's tau^2 is truncated at 0, weights are 1/v."""
    got = pooling.combine([1.0, 1.1], [1.0, 4.0])
    assert got.tau2 == 0.0
    assert got.i2 == 0.0
    assert got.estimate == pytest.approx((1.0 * 1 + 1.1 * 0.25) / 1.25)
    assert got.se == pytest.approx(math.sqrt(1 / 1.25))


def test_one_study_is_not_pooled() -> None:
    with pytest.raises(ValueError, match="two studies"):
        pooling.combine([1.0], [1.0])
    rows = pd.DataFrame(
        {"outcome_id": ["a"], "mean_difference": [-3.0], "mean_difference_low": [-5.0], "mean_difference_high": [-1.0]}
    )
    result = pooling.pool(rows, "MD")
    assert isinstance(result, pooling.NotPooled)
    assert result.reason == pooling.ONE_STUDY


def test_zero_cell_adds_half_to_every_cell_as_metafor_does() -> None:
    """0/10 against 3/10: metafor's escalc(measure="RR", add=1/2, to="only0") gives
    log((0.5/11) / (3.5/11)) with variance 1/0.5 - 1/11 + 1/3.5 - 1/11."""
    eff, var, corrected = pooling.binary_effect(0, 10, 3, 10, "RR")
    assert corrected
    assert eff == pytest.approx(math.log(0.5 / 3.5))
    assert var == pytest.approx(1 / 0.5 - 1 / 11 + 1 / 3.5 - 1 / 11)


def _arms(rows: list[tuple[str, int, int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["outcome_id", "events_drug", "n_drug", "events_comparator", "n_comparator"])


def test_both_zero_studies_are_left_out_of_a_ratio_and_say_why() -> None:
    rows = _arms([("a", 10, 50, 5, 50), ("b", 0, 40, 0, 40), ("c", 12, 60, 6, 60)])
    result = pooling.pool(rows, "RR")
    assert isinstance(result, pooling.Pooled)
    assert result.k == 2
    assert result.left_out == (("b", pooling.BOTH_ZERO),)
    assert result.participants == 220
    assert result.comparator_risk == pytest.approx(11 / 110)


def test_rows_without_counts_or_interval_are_left_out() -> None:
    rows = pd.DataFrame(
        {
            "outcome_id": ["a", "b", "c"],
            "mean_difference": [-3.0, -4.0, -1.0],
            "mean_difference_low": [-5.0, -6.0, np.nan],
            "mean_difference_high": [-1.0, -2.0, np.nan],
        }
    )
    result = pooling.pool(rows, "MD")
    assert isinstance(result, pooling.Pooled)
    assert result.left_out == (("c", pooling.NO_CI),)
    assert result.participants is None  # group sizes not given: not guessed


def test_rates_with_group_sizes_give_rounded_counts() -> None:
    row = {"n_drug": 195, "n_comparator": 170, "drug_pct": 55.4, "comparator_pct": 41.2}
    assert pooling.arm_counts(row) == (108.0, 195.0, 70.0, 170.0)
    assert pooling.arm_counts({"drug_pct": 55.4, "comparator_pct": 41.2}) is None


def test_absolute_effects_per_1000_and_the_number_needed() -> None:
    """Comparator risk 30%, RR 1.5 (1.2 to 1.8): 300 per 1,000 against 450 (360 to 540); 150 more
    per 1,000; NNT 1 / 0.15 = 6.7, rounded up to 7."""
    got = pooling.absolute(1.5, 1.2, 1.8, 0.30)
    assert (got.comparator_per_1000, got.drug_per_1000, got.drug_low_per_1000, got.drug_high_per_1000) == (
        300,
        450,
        360,
        540,
    )
    assert got.difference_per_1000 == 150
    assert got.number_needed == 7
    assert pooling.absolute(1.0, 0.8, 1.2, 0.3).number_needed is None


def test_hksj_narrower_than_the_standard_interval_is_flagged() -> None:
    rows = pd.DataFrame(
        {
            "outcome_id": ["a", "b"],
            "mean_difference": [-3.8, -3.9],
            "mean_difference_low": [-6.56, -6.60],
            "mean_difference_high": [-1.09, -1.11],
        }
    )
    result = pooling.pool(rows, "MD")
    assert isinstance(result, pooling.Pooled)
    assert result.hksj_narrower


# --- the analyses table -------------------------------------------------------------------------


def _problems(tmp_path: Path, edit: dict[str, str], row: int = 0) -> list[tuple[str | None, str]]:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    analyses = pd.read_csv(folder / "analyses.csv", dtype=str, keep_default_na=False)
    for column, value in edit.items():
        analyses.loc[row, column] = value
    analyses.to_csv(folder / "analyses.csv", index=False)
    return [(p.column, p.message) for p in load_catalog(folder).tables["analyses"].problems]


def test_shipped_analyses_are_valid() -> None:
    catalog = load_catalog(ROOT / "data")
    assert catalog.tables["analyses"].problems == ()
    assert catalog.frame("analyses") is not None


def test_an_analysis_naming_a_missing_row_is_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"outcome_ids": "aspire1-madrs-24h; no-such-row"})
    assert problems == [("outcome_ids", "not found in outcome_id of outcomes.csv")]


def test_rows_of_another_outcome_or_measure_are_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"outcome_ids": "aspire1-madrs-24h; aspire-pooled-remission-by-d25"})
    assert ("outcome", "aspire-pooled-remission-by-d25 is a remission row, not score change") in problems
    assert ("measure", "aspire-pooled-remission-by-d25 has no mean difference with its 95% interval") in problems


def test_a_binary_pool_needs_group_sizes(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        {
            "outcome_ids": "transform2-response-d28; lii23-response-d1",
            "outcome": "response",
            "drug": "esketamine",
            "measure": "RR",
            "continuity": pooling_rule(),
        },
    )
    assert ("measure", "transform2-response-d28 has no group sizes with events or rates on both arms") in problems
    assert ("drug", "lii23-response-d1 is on racemic ketamine, not esketamine") in problems


def pooling_rule() -> str:
    from dashboard.schema.analyses import CONTINUITY_RULES

    return CONTINUITY_RULES[0]


def _harm_row() -> int:
    analyses = pd.read_csv(ROOT / "data" / "analyses.csv", dtype=str, keep_default_na=False)
    return int(analyses.index[analyses["analysis_id"] == "esk-trd-sbp40-d28"][0])


def test_an_adverse_effect_pool_keeps_to_one_effect_and_one_comparison_per_row(tmp_path: Path) -> None:
    """Side-effect rows: one effect, counts on both arms, and never one comparison's arms twice."""
    mixed = "spravato-trd-pool-systolic-bp-rise-ge-40-mmhg; transform-3-diastolic-bp-rise-ge-25-mmhg"
    assert ("effect_ids", "pools different effects (Diastolic BP rise ≥25 mmHg, Systolic BP rise ≥40 mmHg)") in (
        _problems(tmp_path / "a", {"effect_ids": mixed}, _harm_row())
    )
    same = "spravato-trd-pool-systolic-bp-rise-ge-40-mmhg; spravato-trd-pool-diastolic-bp-rise-ge-25-mmhg"
    problems = _problems(tmp_path / "b", {"effect_ids": same}, _harm_row())
    assert (
        "effect_ids",
        "spravato-trd-pool-systolic-bp-rise-ge-40-mmhg, spravato-trd-pool-diastolic-bp-rise-ge-25-mmhg come from one "
        "comparison (its arms counted twice)",
    ) in problems
    no_counts = "spravato-trd-pool-systolic-bp-rise-ge-40-mmhg; clinic-article-dizziness-confusion-and-nausea"
    problems = _problems(tmp_path / "c", {"effect_ids": no_counts}, _harm_row())
    assert (
        "effect_ids",
        "clinic-article-dizziness-confusion-and-nausea has no group sizes with events or rates on both arms",
    ) in problems


def test_an_analysis_names_outcome_rows_or_side_effect_rows_never_both(tmp_path: Path) -> None:
    both = _problems(tmp_path / "a", {"outcome_ids": "aspire1-madrs-24h; aspire2-madrs-24h"}, _harm_row())
    assert any(column == "outcome_ids" and "one of the two, never both" in m for column, m in both)
    harm_on_outcomes = _problems(tmp_path / "b", {"outcome": "adverse effect"})
    assert any("one of the two, never both" in m for _, m in harm_on_outcomes)
    missing = _problems(tmp_path / "c", {"effect_ids": "spravato-trd-pool-dissociation; no-such-effect"}, _harm_row())
    assert ("effect_ids", "not found in effect_id of side_effects.csv") in missing


def test_a_mean_difference_pool_keeps_to_one_scale(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"outcome_ids": "aspire1-madrs-24h; fava20-hamd6-0.5mgkg"})
    assert ("outcome_ids", "mixes mean differences on different scales (HAM-D-6, MADRS)") in problems


# --- every shipped analysis, recomputed a second way -------------------------------------------


def _dersimonian_laird(y: np.ndarray, v: np.ndarray) -> dict[str, float]:
    """The DerSimonian-Laird random-effects pool written out (DerSimonian and Laird 1986; the
    Cochrane Handbook section 10.10.4), with the Hartung-Knapp interval."""
    k = len(y)
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    c = w.sum() - (w**2).sum() / w.sum()
    tau2 = max(0.0, (q - (k - 1)) / c)
    w_star = 1 / (v + tau2)
    mean = (w_star * y).sum() / w_star.sum()
    se = math.sqrt(1 / w_star.sum())
    z = sps.norm.ppf(0.975)
    hk_var = (w_star * (y - mean) ** 2).sum() / ((k - 1) * w_star.sum())
    t = sps.t.ppf(0.975, k - 1)
    return {
        "estimate": mean,
        "low": mean - z * se,
        "high": mean + z * se,
        "hksj_low": mean - t * math.sqrt(hk_var),
        "hksj_high": mean + t * math.sqrt(hk_var),
        "tau2": tau2,
        "i2": 0.0 if q == 0 else max(0.0, (q - (k - 1)) / q) * 100,
    }


def _by_hand(rows: pd.DataFrame, measure: str) -> dict[str, float]:
    if measure == "MD":
        y = rows["mean_difference"].to_numpy(dtype=float)
        se = (rows["mean_difference_high"] - rows["mean_difference_low"]).to_numpy(dtype=float) / (2 * 1.959964)
        return _dersimonian_laird(y, se**2)
    ed = rows["events_drug"].fillna((rows["drug_pct"] * rows["n_drug"] / 100).round()).to_numpy(dtype=float)
    ec = rows["events_comparator"].fillna((rows["comparator_pct"] * rows["n_comparator"] / 100).round())
    ec = ec.to_numpy(dtype=float)
    nd, nc = rows["n_drug"].to_numpy(dtype=float), rows["n_comparator"].to_numpy(dtype=float)
    add = np.where((ed == 0) | (ec == 0) | (ed == nd) | (ec == nc), 0.5, 0.0)
    a, c = ed + add, ec + add
    n1, n2 = nd + 2 * add, nc + 2 * add
    if measure == "RR":
        y, v = np.log((a / n1) / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2
        result = _dersimonian_laird(y, v)
        return {k: (math.exp(x) if k not in ("tau2", "i2") else x) for k, x in result.items()}
    p1, p2 = a / n1, c / n2
    return _dersimonian_laird(p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)


def _shipped() -> list[tuple[str, pd.DataFrame, str]]:
    """Each shipped analysis with the rows it names, read straight from the table it names (an
    adverse-effect analysis names side-effect rows, whose drug rate is ``incidence_pct``)."""
    catalog = load_catalog(ROOT / "data")
    outcomes, analyses, effects = catalog.frame("outcomes"), catalog.frame("analyses"), catalog.frame("side_effects")
    assert outcomes is not None
    assert analyses is not None
    assert effects is not None
    by_id = {
        "outcome_ids": outcomes.set_index("outcome_id"),
        "effect_ids": effects.set_index("effect_id").rename(columns={"incidence_pct": "drug_pct"}),
    }
    found = []
    for analysis in analyses.to_dict("records"):
        column = "effect_ids" if analysis["outcome"] == "adverse effect" else "outcome_ids"
        ids = [x.strip() for x in str(analysis[column]).split(";")]
        rows = by_id[column].loc[ids].rename_axis("outcome_id").reset_index()
        found.append((str(analysis["analysis_id"]), rows, str(analysis["measure"])))
    return found


def test_the_shipped_analyses_pool_benefits_and_harms_on_both_kinds_of_measure() -> None:
    """At least one mean-difference pool of scores and one risk-ratio pool of side effects ship."""
    shipped = {(measure, "effect" in rows) for _, rows, measure in _shipped()}
    assert ("MD", False) in shipped  # outcome rows: score changes
    assert ("RR", True) in shipped  # side-effect rows


@pytest.mark.parametrize(("analysis_id", "rows", "measure"), _shipped(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_shipped_analysis_agrees_with_the_formulas_written_out(
    analysis_id: str, rows: pd.DataFrame, measure: str
) -> None:
    result = pooling.pool(rows, measure)
    assert isinstance(result, pooling.Pooled), analysis_id
    expected = _by_hand(rows, measure)
    for name, value in expected.items():
        assert getattr(result, name) == pytest.approx(value, rel=1e-6, abs=1e-9), (analysis_id, name)


@pytest.mark.parametrize(("analysis_id", "rows", "measure"), _shipped(), ids=lambda x: x if isinstance(x, str) else "")
def test_the_pages_figures_match_the_formulas_written_out(analysis_id: str, rows: pd.DataFrame, measure: str) -> None:
    """What the summary of findings prints (Outcomes and Compare) is the hand-computed pool."""
    from dashboard.views import findings

    catalog = load_catalog(ROOT / "data")
    inputs = findings.prepare_inputs(catalog.frames(list(catalog.tables)))
    line = next(f for f in findings.findings(inputs).all if f.analysis_id == analysis_id)
    expected = _by_hand(rows, measure)

    def shown(x: float) -> str:
        return f"{x:.2f}" if measure == "RR" else f"{(100 * x if measure == 'RD' else x):+.2f}".replace("-", "−")

    assert (
        f"{shown(expected['estimate'])} (95% CI {shown(expected['low'])} to {shown(expected['high'])})" in line.relative
    )
    assert line.hksj.startswith(f"{shown(expected['hksj_low'])} to {shown(expected['hksj_high'])}")
    assert line.heterogeneity.startswith(f"I² {expected['i2']:.0f}%")


def test_one_studys_interval_on_the_measures_scale() -> None:
    c = pooling.Contribution("a", "A", math.log(2.0), 0.04, 1.0, 100)
    est, low, high = pooling.study_interval(c, "RR")
    assert est == pytest.approx(2.0)
    assert (low, high) == pytest.approx((2.0 * math.exp(-1.959964 * 0.2), 2.0 * math.exp(1.959964 * 0.2)), rel=1e-6)


def test_participants_are_never_a_partial_sum_read_as_the_whole() -> None:
    from dashboard import wording

    rows = pd.DataFrame(
        {
            "outcome_id": ["a", "b"],
            "mean_difference": [-3.0, -4.0],
            "mean_difference_low": [-5.0, -6.0],
            "mean_difference_high": [-1.0, -2.0],
            "n_drug": [115, np.nan],
            "n_comparator": [115, np.nan],
        }
    )
    result = pooling.pool(rows, "MD")
    assert isinstance(result, pooling.Pooled)
    assert result.participants is None
    assert result.known_sizes == (230, 1)
    assert wording.participants(result.participants, result.k, result.known_sizes) == (
        "230 in the 1 of 2 studies with group sizes in the dataset (2 studies)"
    )
