"""The GRADE certainty of a pooled analysis, domain by domain, never guessed.

Risk of bias, indirectness and publication bias are rated only where a published assessment
gives a rating (``analyses.csv`` columns of those names, each with its source). Imprecision and
inconsistency are rated by a stated rule from the pooled result, and say so:

- Imprecision: serious when the wider of the two 95% intervals (standard or HKSJ) includes no
  effect (1 for a ratio, 0 for a difference); otherwise no serious concern. The rule does not
  weigh the optimal information size.
- Inconsistency: by I^2, with the Cochrane Handbook's overlapping bands (section 10.10.2) cut at
  their midpoints: I^2 up to 40% no serious concern, above 40% up to 75% serious, above 75% very
  serious. With two studies I^2 is itself very uncertain.

The overall certainty starts high (every shipped pool is of randomised trials) and goes down one
level for each serious and two for each very serious domain (GRADE: high, moderate, low, very
low). It is given only when all five domains are rated; otherwise it is "not rated" with the
domains that are missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.pooling import Pooled
from dashboard.schema.analyses import GRADE_RATINGS, JUDGED_DOMAINS

DOMAINS = ("risk of bias", "inconsistency", "indirectness", "imprecision", "publication bias")
LEVELS = ("high", "moderate", "low", "very low")
NO_CONCERN, SERIOUS, VERY_SERIOUS = GRADE_RATINGS
NOT_RATED = "not rated"
BY_RULE = "rated by rule"
I2_SERIOUS = 40.0
I2_VERY_SERIOUS = 75.0


@dataclass(frozen=True)
class Rating:
    domain: str
    rating: str
    """One of ``GRADE_RATINGS``, or ``NOT_RATED``."""
    basis: str
    """The source id of a published rating, ``BY_RULE``, or why it is not rated."""
    reason: str = ""


@dataclass(frozen=True)
class Certainty:
    ratings: tuple[Rating, ...]
    overall: str
    """One of ``LEVELS``, or ``NOT_RATED``."""
    missing: tuple[str, ...]
    """The domains not rated (empty when the overall certainty is given)."""


def no_effect(measure: str) -> float:
    return 1.0 if measure == "RR" else 0.0


def imprecision(pooled: Pooled) -> Rating:
    low, high = min(pooled.low, pooled.hksj_low), max(pooled.high, pooled.hksj_high)
    null = no_effect(pooled.measure)
    if low <= null <= high:
        return Rating("imprecision", SERIOUS, BY_RULE, "the wider 95% interval includes no effect")
    return Rating("imprecision", NO_CONCERN, BY_RULE, "the wider 95% interval excludes no effect")


def inconsistency(pooled: Pooled) -> Rating:
    i2 = pooled.i2
    if i2 > I2_VERY_SERIOUS:
        return Rating("inconsistency", VERY_SERIOUS, BY_RULE, f"I² above {I2_VERY_SERIOUS:.0f}%")
    if i2 > I2_SERIOUS:
        return Rating("inconsistency", SERIOUS, BY_RULE, f"I² above {I2_SERIOUS:.0f}%")
    return Rating("inconsistency", NO_CONCERN, BY_RULE, f"I² at most {I2_SERIOUS:.0f}%")


def judged(analysis: Mapping[str, object]) -> list[Rating]:
    """The domains that need a published rating: the analysis row's rating and source, or not rated."""
    found = []
    for prefix, domain in JUDGED_DOMAINS.items():
        rating, source = analysis.get(prefix), analysis.get(f"{prefix}_source_id")
        if rating is None or pd.isna(rating):
            found.append(Rating(domain, NOT_RATED, "no published rating in the dataset"))
        else:
            found.append(Rating(domain, str(rating), str(source)))
    return found


def certainty(analysis: Mapping[str, object], pooled: Pooled) -> Certainty:
    by_domain = {r.domain: r for r in (*judged(analysis), imprecision(pooled), inconsistency(pooled))}
    ratings = tuple(by_domain[d] for d in DOMAINS)
    missing = tuple(r.domain for r in ratings if r.rating == NOT_RATED)
    if missing:
        return Certainty(ratings, NOT_RATED, missing)
    down = sum(1 if r.rating == SERIOUS else 2 if r.rating == VERY_SERIOUS else 0 for r in ratings)
    return Certainty(ratings, LEVELS[min(down, len(LEVELS) - 1)], ())
