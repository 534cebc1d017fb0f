"""Two-arm comparisons of a proportion: risk difference, relative risk and the number needed to
treat or harm, each with its 95% confidence interval. Every interval comes from statsmodels.

- Risk difference: Newcombe's hybrid score interval (method 10 of Newcombe 1998), statsmodels'
  ``confint_proportions_2indep(compare="diff", method="newcomb")``.
- Relative risk: the log (Katz) interval, ``method="log"``; when an arm has no events the ratio
  has no finite log, and the interval is the library's documented zero-cell handling,
  ``method="log-adjusted"`` (0.5 added to each count), with the point estimate adjusted the same way.
- Number needed: the reciprocal of the difference and of its limits (Altman, BMJ 1998), rounded
  up to whole people as the field does (Altman 1998; the Cochrane Handbook): 16.4 people is
  17. When the interval crosses zero it runs from one kind of number through infinity to the
  other. This module returns numbers only; ``dashboard.wording`` says them.

Counts come from the row when the source prints them; otherwise rate x group size, rounded, and
flagged as derived. Rows that cannot be compared say why instead of showing a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from statsmodels.stats.proportion import confint_proportions_2indep

ALPHA = 0.05

NO_COMPARATOR = "no comparator in the source"
NO_COMPARATOR_RATE = "no comparator rate in the source"
NO_RATE = "no rate in the source"
NO_SIZES = "group sizes not reported"
RANGE = "rate given as a range across studies"
NO_EVENTS = "no events in either group"


@dataclass(frozen=True)
class Counts:
    """Events and group sizes per arm as numpy arrays (NaN where unknown)."""

    events_drug: np.ndarray
    n_drug: np.ndarray
    events_comparator: np.ndarray
    n_comparator: np.ndarray
    derived: np.ndarray
    """True where an arm's events were worked out from its rate and size rather than printed."""
    reason: np.ndarray
    """Why a row has no interval (empty string where it has one)."""


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return frame[name].to_numpy(dtype="float64", na_value=np.nan)


def counts(frame: pd.DataFrame, *, drug: str = "incidence", comparator: str = "comparator") -> Counts:
    """Events per arm for every row: printed counts where given, else rate x n rounded (derived).

    ``drug`` and ``comparator`` name the rate columns ``{drug}_pct`` and ``{comparator}_pct``."""
    rate_d, rate_c = _column(frame, f"{drug}_pct"), _column(frame, f"{comparator}_pct")
    n_d, n_c = _column(frame, "n_drug"), _column(frame, "n_comparator")
    given_d, given_c = _column(frame, "events_drug"), _column(frame, "events_comparator")
    events_d = np.where(np.isnan(given_d), np.round(rate_d / 100 * n_d), given_d)
    events_c = np.where(np.isnan(given_c), np.round(rate_c / 100 * n_c), given_c)
    derived = (np.isnan(given_d) & ~np.isnan(events_d)) | (np.isnan(given_c) & ~np.isnan(events_c))
    ranged = ~np.isnan(_column(frame, f"{drug}_max_pct")) | ~np.isnan(_column(frame, f"{comparator}_max_pct"))
    named = frame["comparator"].notna().to_numpy() if "comparator" in frame else np.zeros(len(frame), bool)
    reason = np.select(
        [np.isnan(rate_d), ~named, np.isnan(rate_c), ranged, np.isnan(n_d) | np.isnan(n_c)],
        [NO_RATE, NO_COMPARATOR, NO_COMPARATOR_RATE, RANGE, NO_SIZES],
        default="",
    )
    reason = np.where((reason == "") & (events_d == 0) & (events_c == 0), NO_EVENTS, reason)
    return Counts(events_d, n_d, events_c, n_c, derived & (reason == ""), reason.astype(object))


@dataclass(frozen=True)
class Intervals:
    """Per row, as proportions (difference) and ratios; NaN where the row has a reason instead."""

    difference: np.ndarray
    difference_low: np.ndarray
    difference_high: np.ndarray
    ratio: np.ndarray
    ratio_low: np.ndarray
    ratio_high: np.ndarray
    ratio_adjusted: np.ndarray
    """True where an arm had no events and the ratio used the 0.5 adjustment."""


def intervals(c: Counts, alpha: float = ALPHA) -> Intervals:
    ok = c.reason == ""
    e1, n1 = np.where(ok, c.events_drug, 1.0), np.where(ok, c.n_drug, 2.0)
    e2, n2 = np.where(ok, c.events_comparator, 1.0), np.where(ok, c.n_comparator, 2.0)
    low, high = confint_proportions_2indep(e1, n1, e2, n2, compare="diff", method="newcomb", alpha=alpha)
    zero = (e1 == 0) | (e2 == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plain_low, plain_high = confint_proportions_2indep(e1, n1, e2, n2, compare="ratio", method="log", alpha=alpha)
        adj_low, adj_high = confint_proportions_2indep(
            e1, n1, e2, n2, compare="ratio", method="log-adjusted", alpha=alpha
        )
        ratio = np.where(zero, ((e1 + 0.5) / (n1 + 0.5)) / ((e2 + 0.5) / (n2 + 0.5)), (e1 / n1) / (e2 / n2))
    nan = np.full(len(ok), np.nan)
    return Intervals(
        difference=np.where(ok, e1 / n1 - e2 / n2, nan),
        difference_low=np.where(ok, low, nan),
        difference_high=np.where(ok, high, nan),
        ratio=np.where(ok, ratio, nan),
        ratio_low=np.where(ok, np.where(zero, adj_low, plain_low), nan),
        ratio_high=np.where(ok, np.where(zero, adj_high, plain_high), nan),
        ratio_adjusted=ok & zero,
    )


# --- the number needed to treat or harm ---------------------------------------------------------


@dataclass(frozen=True)
class NumbersNeeded:
    """Per row, ``1 / |difference|`` and ``1 / |limit|`` rounded up to whole people (0 where not
    finite), and which way each points."""

    point: list[int]
    below: list[int]
    """From the lower limit of the difference."""
    above: list[int]
    """From the upper limit of the difference."""
    difference: list[float]
    low: list[float]
    high: list[float]


def numbers_needed(difference: ArrayLike, low: ArrayLike, high: ArrayLike) -> NumbersNeeded:
    """The numbers needed for many rows at once, the arithmetic done on whole arrays (a table of a
    thousand rows is drawn on every new filter)."""
    d, lo, hi = (np.asarray(a, dtype="float64") for a in (difference, low, high))
    with np.errstate(divide="ignore", invalid="ignore"):
        point, below, above = (_wholes(1 / np.abs(a)) for a in (d, lo, hi))
    return NumbersNeeded(point, below, above, d.tolist(), lo.tolist(), hi.tolist())


def _wholes(values: np.ndarray) -> list[int]:
    """Each value rounded up to whole people, at least 1 (0 where it is not finite, never shown).
    A hair of tolerance keeps 1 / 0.25 at 4, not 5, despite floating point."""
    finite = np.where(np.isfinite(values), values, 0.0)
    return np.maximum(1, np.ceil(finite - 1e-9)).astype(np.int64).tolist()


def people_per_100(difference: float) -> int | None:
    """The difference as whole people in every 100 treated (None where there is none)."""
    return None if math.isnan(difference) else round(abs(difference) * 100)
