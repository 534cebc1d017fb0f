"""Random-effects pooling of the outcome rows an analysis of ``analyses.csv`` names. Every
estimate and interval comes from ``statsmodels.stats.meta_analysis``; this module only picks the
rows, states the rules and turns the library's results into numbers a page can show.

- Effect sizes. A risk ratio (RR, pooled on the log scale) or a risk difference (RD) from each
  study's events and group sizes, ``effectsize_2proportions``; a mean difference (MD) as printed,
  its variance from its 95% confidence interval (half the width over 1.96, squared).
- Zero cells. A study with no events (or only events) in an arm gets 0.5 added to every cell of
  its two-by-two table (statsmodels' ``zero_correction=0.5``, the same as metafor's default
  ``add=1/2, to="only0"``). A study with no events in either arm says nothing about a ratio and is
  left out of an RR pool, with that reason.
- Pooling. ``combine_effects(method_re="dl")``: the DerSimonian-Laird estimate of the
  between-study variance tau^2, truncated at zero as the method defines it (when it is zero the
  random-effects result is the fixed-effect one), the pooled estimate with its 95% interval on the
  normal distribution, and beside it the Hartung-Knapp-Sidik-Jonkman (HKSJ) interval on the t
  distribution with k - 1 degrees of freedom (the library's "random effect wls" interval). When
  the studies agree more closely than chance predicts, the HKSJ interval comes out narrower than
  the standard one; ``Pooled.hksj_narrower`` says so, and the page says to read the wider one.
- Heterogeneity. I^2 = (Q - df) / Q, floored at 0 (Higgins and Thompson 2002).
- Prediction interval. The pooled estimate +/- t(k - 2) x sqrt(tau^2 + SE^2) (Higgins, Thompson and
  Spiegelhalter 2009; the Cochrane Handbook section 10.10.4.3): only for three or more studies.
- Absolute effects. From a pooled RR and an assumed comparator risk: the risk with the drug per
  1,000 is the comparator risk x RR, its interval from the RR's limits, and the number needed to
  treat or harm is 1 / (comparator risk x |1 - RR|) rounded up (Cochrane Handbook chapter 14,
  section 14.1.5; rounding as ``dashboard.stats``). The comparator risk is the events over the
  participants of the comparator arms of the pooled studies, and is said to be so.

Numbers only; ``dashboard.wording`` says them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions

from dashboard.stats import ALPHA, numbers_needed

MEASURES = ("RR", "RD", "MD")
"""The effect measures an analysis may pool."""
BINARY = ("RR", "RD")
CONTINUITY = 0.5
"""Added to every cell of a study's two-by-two table when an arm has no events (or only events)."""
Z = float(sps.norm.isf(ALPHA / 2))

# Why a row of an analysis is not in its pool (said on the page beside the pool).
BOTH_ZERO = "no events in either arm: says nothing about a ratio, left out"
NO_COUNTS = "no group sizes with events or rates"
NO_CI = "no mean difference with its 95% interval"
FEW_FOR_PI = "a prediction interval needs at least three studies"
ONE_STUDY = "one study: nothing to pool"


@dataclass(frozen=True)
class Contribution:
    """One outcome row's part in a pool."""

    outcome_id: str
    study: str
    effect: float
    """On the pooling scale: log RR for RR, a proportion difference for RD, points for MD."""
    variance: float
    weight: float
    """Its random-effects weight, as a share of 1."""
    participants: int | None
    corrected: bool = False
    """True where the zero-cell rule added 0.5 to its cells."""


@dataclass(frozen=True)
class Pooled:
    """A pooled result on the measure's own scale (a ratio for RR, a proportion for RD, points for MD)."""

    measure: str
    k: int
    estimate: float
    low: float
    high: float
    hksj_low: float
    hksj_high: float
    tau2: float
    """On the pooling scale (log RR for RR)."""
    i2: float
    """Percent, 0 to 100."""
    q: float
    pi_low: float | None
    pi_high: float | None
    pi_reason: str
    """Why there is no prediction interval (empty where there is one)."""
    contributions: tuple[Contribution, ...]
    left_out: tuple[tuple[str, str], ...] = ()
    """(outcome_id, why) for each named row not in the pool."""
    comparator_risk: float | None = None
    """Events over participants of the comparator arms pooled (binary pools)."""

    @property
    def hksj_narrower(self) -> bool:
        """True where the HKSJ interval is narrower than the standard one: the studies agree more
        closely than their own intervals predict, and the HKSJ interval is then too narrow (a known
        weakness of it with few studies); the wider interval is the one to read."""
        return (self.hksj_high - self.hksj_low) < (self.high - self.low)

    @property
    def known_sizes(self) -> tuple[int, int]:
        """(participants, studies) over the pooled studies whose group sizes the dataset has."""
        sizes = [c.participants for c in self.contributions if c.participants is not None]
        return sum(sizes), len(sizes)

    @property
    def participants(self) -> int | None:
        sizes = [c.participants for c in self.contributions]
        return None if any(n is None for n in sizes) else sum(n for n in sizes if n is not None)


@dataclass(frozen=True)
class NotPooled:
    """An analysis whose rows do not make a pool, with the reason."""

    measure: str
    reason: str
    left_out: tuple[tuple[str, str], ...] = ()
    contributions: tuple[Contribution, ...] = field(default_factory=tuple)


# --- the study effects ------------------------------------------------------------------------


def _number(value: object) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def arm_counts(row: Mapping[str, object]) -> tuple[float, float, float, float] | None:
    """(events drug, n drug, events comparator, n comparator): printed counts, or rate x n rounded;
    None where a row has neither."""
    n_d, n_c = _number(row.get("n_drug")), _number(row.get("n_comparator"))
    if math.isnan(n_d) or math.isnan(n_c):
        return None
    e_d, e_c = _number(row.get("events_drug")), _number(row.get("events_comparator"))
    if math.isnan(e_d):
        e_d = float(round(_number(row.get("drug_pct")) * n_d / 100)) if pd.notna(row.get("drug_pct")) else math.nan
    if math.isnan(e_c):
        pct = row.get("comparator_pct")
        e_c = float(round(_number(pct) * n_c / 100)) if pd.notna(pct) else math.nan
    if math.isnan(e_d) or math.isnan(e_c):
        return None
    return e_d, n_d, e_c, n_c


def binary_effect(
    events_drug: float, n_drug: float, events_comparator: float, n_comparator: float, measure: str
) -> tuple[float, float, bool]:
    """(effect, variance, corrected) of one study: log RR or RD, with the zero-cell rule."""
    counts = np.array([[events_drug], [n_drug], [events_comparator], [n_comparator]], dtype="float64")
    statistic = "risk-ratio" if measure == "RR" else "diff"
    zero = events_drug in (0, n_drug) or events_comparator in (0, n_comparator)
    eff, var = effectsize_2proportions(*counts, statistic=statistic, zero_correction=CONTINUITY if zero else None)
    return float(eff[0]), float(var[0]), bool(zero)


def md_effect(md: float, low: float, high: float) -> tuple[float, float]:
    """(MD, variance) from a printed 95% interval: SE = (high - low) / (2 x 1.96)."""
    se = (high - low) / (2 * Z)
    return md, se * se


def contributions(rows: pd.DataFrame, measure: str) -> tuple[list[Contribution], list[tuple[str, str]]]:
    """Each row's effect and variance (weights still zero), and the rows left out with why."""
    found: list[Contribution] = []
    left_out: list[tuple[str, str]] = []
    for row in rows.to_dict("records"):
        oid, study = str(row["outcome_id"]), str(row.get("study") or row["outcome_id"])
        if measure in BINARY:
            arms = arm_counts(row)
            if arms is None:
                left_out.append((oid, NO_COUNTS))
                continue
            e_d, n_d, e_c, n_c = arms
            if measure == "RR" and e_d == 0 and e_c == 0:
                left_out.append((oid, BOTH_ZERO))
                continue
            eff, var, corrected = binary_effect(e_d, n_d, e_c, n_c, measure)
            found.append(Contribution(oid, study, eff, var, 0.0, int(n_d + n_c), corrected))
        else:
            md, lo, hi = (
                _number(row.get(c)) for c in ("mean_difference", "mean_difference_low", "mean_difference_high")
            )
            if math.isnan(md) or math.isnan(lo) or math.isnan(hi) or hi <= lo:
                left_out.append((oid, NO_CI))
                continue
            eff, var = md_effect(md, lo, hi)
            n_d, n_c = _number(row.get("n_drug")), _number(row.get("n_comparator"))
            size = None if math.isnan(n_d) or math.isnan(n_c) else int(n_d + n_c)
            found.append(Contribution(oid, study, eff, var, 0.0, size))
    return found, left_out


def study_interval(c: Contribution, measure: str) -> tuple[float, float, float]:
    """One study's estimate with its normal 95% interval, on the measure's own scale (a ratio for RR)."""
    half = Z * math.sqrt(c.variance)
    values = (c.effect, c.effect - half, c.effect + half)
    if measure == "RR":
        return math.exp(values[0]), math.exp(values[1]), math.exp(values[2])
    return values


# --- pooling ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Combined:
    """The library's random-effects result on the pooling scale."""

    estimate: float
    se: float
    low: float
    high: float
    hksj_low: float
    hksj_high: float
    tau2: float
    i2: float
    q: float
    weights: tuple[float, ...]
    pi: tuple[float, float] | None


def combine(effects: Sequence[float], variances: Sequence[float]) -> Combined:
    """DerSimonian-Laird random effects on two or more studies, with the HKSJ interval and, for three
    or more, the prediction interval. A negative DL estimate of tau^2 is zero by definition; the
    library leaves it negative, so then the pool is refitted with Paule-Mandel, whose estimate is
    zero exactly when DL's is negative or zero (Q at or below k - 1)."""
    eff = np.asarray(effects, dtype="float64")
    var = np.asarray(variances, dtype="float64")
    k = len(eff)
    if k < 2:
        raise ValueError("pooling needs at least two studies")
    with np.errstate(divide="ignore", invalid="ignore"):  # the library's I^2 divides by Q, which may be 0
        res = combine_effects(eff, var, method_re="dl")
        if res.tau2 < 0:
            res = combine_effects(eff, var, method_re="pm")
    tau2 = max(0.0, float(res.tau2))
    _, ci_re, _, _ = res.conf_int(alpha=ALPHA, use_t=False)
    _, _, _, ci_hksj = res.conf_int(alpha=ALPHA, use_t=True)
    q = float(res.q)
    i2 = 0.0 if q <= 0 else max(0.0, (q - (k - 1)) / q) * 100
    mean, se = float(res.mean_effect_re), float(res.sd_eff_w_re)
    pi = None
    if k >= 3:
        half = float(sps.t.isf(ALPHA / 2, k - 2)) * math.sqrt(tau2 + se * se)
        pi = (mean - half, mean + half)
    weights = tuple(float(w) for w in np.asarray(res.weights_rel_re))
    return Combined(
        mean, se, float(ci_re[0]), float(ci_re[1]), float(ci_hksj[0]), float(ci_hksj[1]), tau2, i2, q, weights, pi
    )


def pool(rows: pd.DataFrame, measure: str) -> Pooled | NotPooled:
    """Pool an analysis's outcome rows (already picked) on ``measure``; fewer than two usable rows
    is not a pool, and says so."""
    if measure not in MEASURES:
        return NotPooled(measure, f"unknown measure {measure!r}")
    found, left_out = contributions(rows, measure)
    if len(found) < 2:
        return NotPooled(
            measure,
            ONE_STUDY if len(found) == 1 else "no study has what the measure needs",
            tuple(left_out),
            tuple(found),
        )
    combined = combine([c.effect for c in found], [c.variance for c in found])
    weighted = tuple(
        Contribution(c.outcome_id, c.study, c.effect, c.variance, w, c.participants, c.corrected)
        for c, w in zip(found, combined.weights, strict=True)
    )
    back = math.exp if measure == "RR" else (lambda x: x)
    pi_low, pi_high = (None, None) if combined.pi is None else (back(combined.pi[0]), back(combined.pi[1]))
    risk = _comparator_risk(rows, {c.outcome_id for c in found}) if measure in BINARY else None
    return Pooled(
        measure,
        len(found),
        back(combined.estimate),
        back(combined.low),
        back(combined.high),
        back(combined.hksj_low),
        back(combined.hksj_high),
        combined.tau2,
        combined.i2,
        combined.q,
        pi_low,
        pi_high,
        "" if combined.pi is not None else FEW_FOR_PI,
        weighted,
        tuple(left_out),
        risk,
    )


def _comparator_risk(rows: pd.DataFrame, used: set[str]) -> float | None:
    events = total = 0.0
    for row in rows.to_dict("records"):
        if str(row["outcome_id"]) in used and (arms := arm_counts(row)) is not None:
            events, total = events + arms[2], total + arms[3]
    return events / total if total else None


# --- absolute effects (Cochrane Handbook chapter 14) -----------------------------------------


@dataclass(frozen=True)
class Absolute:
    """Per 1,000 people: the assumed risk with the comparator and the corresponding risk with the
    drug with its interval; the number needed to treat (benefit) or harm, rounded up."""

    comparator_per_1000: int
    drug_per_1000: int
    drug_low_per_1000: int
    drug_high_per_1000: int
    difference_per_1000: int
    number_needed: int | None
    """None where the RR is exactly 1."""


def absolute(rr: float, rr_low: float, rr_high: float, comparator_risk: float) -> Absolute:
    """Corresponding risk = assumed comparator risk x RR (and x each limit), per 1,000 rounded to whole
    people; NNT/NNH = 1 / |assumed risk x (1 - RR)| rounded up, as ``dashboard.stats`` rounds it."""
    per = [round(1000 * comparator_risk * x) for x in (rr, rr_low, rr_high)]
    difference = comparator_risk * (rr - 1)
    needed = numbers_needed([difference], [difference], [difference]).point[0] if difference != 0 else None
    return Absolute(round(1000 * comparator_risk), per[0], per[1], per[2], round(1000 * difference), needed)
