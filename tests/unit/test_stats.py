"""Intervals and numbers needed, against published worked examples, the library itself, and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from dashboard import stats, wording


def rows(*arms: tuple[float | None, float | None, float | None, float | None], **extra: object) -> pd.DataFrame:
    """Rows of (events on drug, n on drug, events on comparator, n on comparator) with rates from them."""
    frame = pd.DataFrame(arms, columns=["events_drug", "n_drug", "events_comparator", "n_comparator"], dtype=float)
    frame["incidence_pct"] = frame["events_drug"] / frame["n_drug"] * 100
    frame["comparator_pct"] = frame["events_comparator"] / frame["n_comparator"] * 100
    frame["comparator"] = "placebo"
    for name, value in extra.items():
        frame[name] = value
    return frame


def compare(*arms: tuple[float | None, float | None, float | None, float | None]) -> stats.Intervals:
    return stats.intervals(stats.counts(rows(*arms)))


@pytest.mark.parametrize(
    ("arms", "low", "high"),
    [
        # Newcombe 1998, Table II, method 10 (hybrid score), examples (a) and (b)
        ((56, 70, 48, 80), 0.0524, 0.3339),
        ((9, 10, 3, 10), 0.1705, 0.8090),
    ],
)
def test_difference_matches_newcombe_1998(arms: tuple[int, int, int, int], low: float, high: float) -> None:
    found = compare(arms)
    assert found.difference_low[0] == pytest.approx(low, abs=1e-4)
    assert found.difference_high[0] == pytest.approx(high, abs=1e-4)


def test_intervals_are_the_librarys_own() -> None:
    arms = [(142, 346, 21, 222), (15, 346, 1, 222), (35, 152, 3, 145)]
    found = compare(*arms)
    for i, (e1, n1, e2, n2) in enumerate(arms):
        low, high = confint_proportions_2indep(e1, n1, e2, n2, compare="diff", method="newcomb")
        assert (found.difference_low[i], found.difference_high[i]) == pytest.approx((low, high))
        low, high = confint_proportions_2indep(e1, n1, e2, n2, compare="ratio", method="log")
        assert (found.ratio_low[i], found.ratio_high[i]) == pytest.approx((low, high))
        assert found.ratio[i] == pytest.approx((e1 / n1) / (e2 / n2))


def test_zero_events_in_one_arm_use_the_librarys_adjusted_ratio() -> None:
    found = compare((15, 346, 0, 222))
    low, high = confint_proportions_2indep(15, 346, 0, 222, compare="ratio", method="log-adjusted")
    assert found.ratio_adjusted[0]
    assert (found.ratio_low[0], found.ratio_high[0]) == pytest.approx((low, high))
    assert math.isfinite(found.ratio[0])
    assert found.difference_low[0] > 0


def test_equal_rates_give_a_zero_difference_spanning_zero() -> None:
    found = compare((10, 100, 10, 100))
    assert found.difference[0] == 0
    assert found.difference_low[0] < 0 < found.difference_high[0]
    assert found.ratio[0] == pytest.approx(1)
    d, low, high = found.difference[0], found.difference_low[0], found.difference_high[0]
    assert wording.number_needed(d, low, high).startswith("no difference; CI from NNT")
    assert wording.per_100(d, low, high).startswith("no clear difference: from about")


def test_a_group_of_one_still_gives_a_bounded_interval() -> None:
    found = compare((1, 1, 0, 1))
    assert -1 <= found.difference_low[0] < found.difference[0] == 1 <= found.difference_high[0] <= 1


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (rows((5, 50, 2, 50), n_drug=None), stats.NO_SIZES),
        (rows((5, 50, 2, 50), comparator=None), stats.NO_COMPARATOR),
        (rows((5, 50, None, None)), stats.NO_COMPARATOR_RATE),
        (rows((0, 50, 0, 50)), stats.NO_EVENTS),
        (rows((5, 50, 2, 50), incidence_max_pct=20.0), stats.RANGE),
    ],
)
def test_rows_that_cannot_be_compared_say_why_and_get_no_numbers(frame: pd.DataFrame, reason: str) -> None:
    c = stats.counts(frame)
    assert c.reason[0] == reason
    found = stats.intervals(c)
    assert np.isnan([found.difference[0], found.difference_low[0], found.ratio[0]]).all()


def test_counts_are_printed_ones_else_rate_times_n_flagged_as_derived() -> None:
    frame = pd.DataFrame(
        {
            "incidence_pct": [41.0, 23.0],
            "comparator_pct": [9.0, 0.5],
            "comparator": "placebo",
            "n_drug": [346.0, 346.0],
            "n_comparator": [222.0, 222.0],
            "events_drug": [142.0, np.nan],
            "events_comparator": [21.0, np.nan],
        }
    )
    c = stats.counts(frame)
    assert c.events_drug.tolist() == [142, 80]
    assert c.events_comparator.tolist() == [21, 1]
    assert c.derived.tolist() == [False, True]


# --- numbers needed: Altman (BMJ 1998), rounded up as the field does --------------------------------


def test_a_significant_difference_inverts_its_limits_and_rounds_up() -> None:
    # Barrowman (CMAJ 2002), working Altman's method: ARR 16.6% (0.9% to 32.2%) -> NNT 6.02 (3.1 to 111.1),
    # which whole people round up to 7 (4 to 112)
    found = stats.numbers_needed([0.166], [0.009], [0.322])
    assert (found.point, found.below, found.above) == ([7], [112], [4])
    assert wording.number_needed(0.166, 0.009, 0.322, higher_is="benefit") == "NNT 7 (95% CI 4 to 112)"


def test_citrome_2020_nnh_for_stopping_treatment_is_17() -> None:
    """Citrome 2020: discontinuation for adverse events 7.0% vs 0.9% in TRANSFORM-2 "yielded NNH=17"
    (1 / 0.061 = 16.4, rounded up); rounding to the nearest whole number would say 16."""
    found = stats.numbers_needed([0.070 - 0.009], [0.02], [0.10])
    assert found.point == [17]
    assert wording.number_needed(0.070 - 0.009, 0.02, 0.10).startswith("NNH 17 ")


def test_an_interval_through_zero_runs_through_infinity_in_words() -> None:
    # Altman's example as Newcombe (BMJ 1999) restates it: ARR -5% to +25% -> NNTB 4 through infinity to NNTH 20
    assert wording.number_needed(0.10, -0.05, 0.25, higher_is="benefit") == (
        "NNT 10; CI from NNH 20 through infinity to NNT 4"
    )
    harm = wording.number_needed(1 / 12, -1 / 40, 1 / 5)
    assert harm == "NNH 12; CI from NNT 40 through infinity to NNH 5"
    assert "-" not in harm
    assert "inf" not in harm.replace("infinity", "")


def test_a_side_effect_rarer_on_the_drug_is_a_number_needed_to_treat() -> None:
    assert wording.number_needed(-0.1, -0.2, -0.05) == "NNT 10 (95% CI 5 to 20)"


def test_shipped_style_row_end_to_end() -> None:
    found = compare((142, 346, 21, 222))
    d, low, high = found.difference[0], found.difference_low[0], found.difference_high[0]
    words = wording.number_needed(d, low, high)
    assert words == f"NNH {math.ceil(1 / d)} (95% CI {math.ceil(1 / high)} to {math.ceil(1 / low)})"
    assert words == "NNH 4 (95% CI 3 to 5)"  # 1 / 0.316 = 3.2 people: 4 whole people
    assert wording.per_100(d, low, high) == "about 32 more in every 100"


@pytest.mark.parametrize(
    ("difference", "low", "high", "words"),
    [
        (0.32, 0.25, 0.39, "about 32 more in every 100"),
        (-0.04, -0.07, -0.01, "about 4 fewer in every 100"),
        (0.002, 0.001, 0.003, "about the same in every 100"),
        (0.10, -0.05, 0.25, "no clear difference: from about 5 fewer to 25 more in every 100"),
        (0.32, math.nan, math.nan, "about 32 more in every 100"),
    ],
)
def test_per_100(difference: float, low: float, high: float, words: str) -> None:
    assert wording.per_100(difference, low, high) == words


def test_one_call_words_many_rows_each_in_its_own_direction() -> None:
    """A table mixes benefit and harm rows, intervals that exclude zero and span it, and rows with no numbers."""
    centre = np.array([0.166, 1 / 12, np.nan, 0.0, -0.1])
    low = np.array([0.009, -1 / 40, 0.1, -0.1, -0.2])
    high = np.array([0.322, 1 / 5, 0.2, 0.1, -0.05])
    words = wording.numbers_needed(stats.numbers_needed(centre, low, high), ["benefit", "harm", "harm", "harm", "harm"])
    assert words == [
        "NNT 7 (95% CI 4 to 112)",
        "NNH 12; CI from NNT 40 through infinity to NNH 5",
        "",
        "no difference; CI from NNT 10 through infinity to NNH 10",
        "NNT 10 (95% CI 5 to 20)",
    ]


@pytest.mark.parametrize(
    ("low", "high", "note"),
    [(4.19, 1094.1, wording.WIDE_RATIO), (2.0, 30.0, ""), (0.5, 12.0, wording.WIDE_RATIO), (np.nan, np.nan, "")],
)
def test_a_ratio_too_wide_to_read_says_so(low: float, high: float, note: str) -> None:
    """SUSTAIN-1's dissociation ratio, 67.7 (4.19 to 1094.1), is printed with a plain note beside it."""
    assert wording.ratio_note(low, high) == note
