"""Two-arm evidence as a clinician weighs it: events per arm, the difference and the ratio with
their 95% intervals, the number needed, the difference per 100 people, the kind of evidence,
and which comparison (trial or label pool) each row belongs to.

The numbers come from ``dashboard.stats``; this module only lays them out as columns. It is used
for harms (side effects: a higher rate on the drug is harm) and benefits (outcomes: a higher
response rate is benefit, a higher relapse rate is harm), by the same functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard import stats, wording
from dashboard.schema import RANDOMISED_KINDS
from dashboard.views.common import map_rows

COLUMNS = [
    "events_per_arm",
    "difference_ci",
    "ratio_ci",
    "number_needed",
    "per_100",
    "evidence",
    "interval_note",
]
"""The columns ``add`` puts beside a table's own (numbers for the forest plot follow in NUMBERS)."""
NUMBERS = ["rd_pct", "rd_low_pct", "rd_high_pct", "rr", "rr_low", "rr_high"]


def _signed(x: float) -> str:
    return f"{x:+.1f}".replace("-", "−")


def _ratio(x: float) -> str:
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def _arm(events: float, n: float, derived: bool) -> str:
    if math.isnan(events) or math.isnan(n):
        return ""
    return f"{'≈' if derived else ''}{events:.0f}/{n:.0f}"


def add(
    rows: pd.DataFrame,
    *,
    higher_is: str | Sequence[str] = "harm",
    drug: str = "incidence",
    happens: str | Sequence[str] = "",
) -> pd.DataFrame:
    """``rows`` with the evidence columns (COLUMNS and NUMBERS) added; a row that cannot be
    compared says why in ``interval_note`` and has no numbers.

    ``higher_is`` (one value, or one per row) says whether more on the drug is ``harm`` or
    ``benefit``; ``happens`` ends the per-100 wording ("respond": "about 17 more in every 100 respond")."""
    directions = [higher_is] * len(rows) if isinstance(higher_is, str) else list(higher_is)
    verbs = [happens] * len(rows) if isinstance(happens, str) else list(happens)
    counts = stats.counts(rows, drug=drug)
    found = stats.intervals(counts)
    ok = (counts.reason == "").tolist()
    # Plain Python floats: formatting a thousand rows per new filter is quicker on them than on numpy scalars.
    ed, nd, ec, nc = (
        a.tolist() for a in (counts.events_drug, counts.n_drug, counts.events_comparator, counts.n_comparator)
    )
    d, lo, hi = (a.tolist() for a in (found.difference, found.difference_low, found.difference_high))
    r, r_lo, r_hi = (a.tolist() for a in (found.ratio, found.ratio_low, found.ratio_high))
    derived, adjusted = counts.derived.tolist(), found.ratio_adjusted.tolist()
    counted = rows["counted"].tolist() if "counted" in rows else [None] * len(rows)
    per_100 = [
        wording.with_time_frame(wording.per_100(x, y, z, happens=verb), when)
        for x, y, z, verb, when in zip(d, lo, hi, verbs, counted, strict=True)
    ]
    added = {
        "rd_pct": found.difference * 100,
        "rd_low_pct": found.difference_low * 100,
        "rd_high_pct": found.difference_high * 100,
        "rr": found.ratio,
        "rr_low": found.ratio_low,
        "rr_high": found.ratio_high,
        "events_per_arm": [
            f"{_arm(a, b, v)} vs {_arm(c, e, v)}" if not (math.isnan(b) or math.isnan(e)) else ""
            for a, b, c, e, v in zip(ed, nd, ec, nc, derived, strict=True)
        ],
        "difference_ci": [
            f"{_signed(x * 100)} ({_signed(y * 100)} to {_signed(z * 100)})" if keep else ""
            for x, y, z, keep in zip(d, lo, hi, ok, strict=True)
        ],
        "ratio_ci": [
            f"{_ratio(x)} ({_ratio(y)} to {_ratio(z)})" + (" *" if a else "") if keep else ""
            for x, y, z, a, keep in zip(r, r_lo, r_hi, adjusted, ok, strict=True)
        ],
        "number_needed": wording.numbers_needed(
            stats.numbers_needed(found.difference, found.difference_low, found.difference_high), directions
        ),
        "per_100": per_100,
        "evidence": evidence_kind(rows),
        "interval_note": [
            _note(why, v, a, wording.ratio_note(x, y))
            for why, v, a, x, y in zip(counts.reason.tolist(), derived, adjusted, r_lo, r_hi, strict=True)
        ],
    }
    kept = rows.drop(columns=[c for c in added if c in rows])
    return pd.concat([kept, pd.DataFrame(added, index=rows.index)], axis=1)


def _note(reason: str, derived: bool, adjusted: bool, ratio: str) -> str:
    notes = [reason] if reason else []
    if ratio:
        notes.append(ratio)
    if derived:
        notes.append("counts worked out from the printed rates and group sizes")
    if adjusted:
        notes.append("* ratio with 0.5 added to each count (an arm had no events)")
    return "; ".join(notes)


NO_COMPARATOR = "label pool without comparator"
"""The study kind that is never a comparison, whatever its rows hold."""


def evidence_kind(rows: pd.DataFrame) -> pd.Series:
    """The kind of evidence of each row: the kind of the study it comes from (``study_kind``, joined
    by ``views.common.with_studies``); empty where the row's study is unknown. Never the kind of the
    source the figure was read in: a trial's figure read in a blog is still the trial's."""
    if "study_kind" not in rows:
        return pd.Series("", index=rows.index, dtype="string")
    return rows["study_kind"].astype("string").fillna("")


def randomised(rows: pd.DataFrame) -> pd.Series:
    """True where the row's study kind rests on randomisation (``schema.RANDOMISED_KINDS``)."""
    return evidence_kind(rows).isin(RANDOMISED_KINDS)


KIND_RANK = RANDOMISED_KINDS
"""Kinds of randomised evidence, the most direct first: a headline prefers a primary trial."""


def kind_rank(rows: pd.DataFrame) -> pd.Series:
    """Each row's place in ``KIND_RANK`` (kinds not listed last)."""
    return evidence_kind(rows).map(lambda k: KIND_RANK.index(k) if k in KIND_RANK else len(KIND_RANK))


def with_comparison(frame: pd.DataFrame) -> pd.DataFrame:
    """``comparison`` filled where the file leaves it empty (or has no such column): the source and
    population, so rows of different studies are never taken for one comparison. Computed per
    distinct pair, so a million rows cost as much as their few pairs."""
    out = frame.copy(deep=False)
    fallback = map_rows([frame["source_id"], frame["population"]], _pair)
    if "comparison" not in frame:
        out["comparison"] = fallback
        return out
    given = frame["comparison"]
    if given.notna().all():
        return out
    out["comparison"] = map_rows([given, fallback], _given_or)
    return out


def _pair(source: object, population: object) -> str | None:
    return None if source is None or population is None else f"{source}: {population}"


def _given_or(given: object, fallback: object) -> object:
    return fallback if given is None else str(given)


def heading(rows: pd.DataFrame) -> str:
    """A comparison's name with its group sizes and kind of evidence, for the heading of its part of a chart."""
    name = str(rows["comparison"].iloc[0])
    sizes = ""
    if {"n_drug", "n_comparator"} <= set(rows.columns):
        n_drug, n_comp = rows["n_drug"].max(), rows["n_comparator"].max()
        if pd.notna(n_drug) and pd.notna(n_comp):
            sizes = f"; n = {int(n_drug):,} vs {int(n_comp):,}"
    kind = evidence_kind(rows).iloc[0]
    return f"{name}{sizes}" + (f"; {kind}" if kind else "")


@dataclass(frozen=True)
class ComparisonFacts:
    """Per comparison: its size (the most patients on a row, both arms), whether it is randomised,
    and whether it is no comparison at all (a label pool without a comparator)."""

    sizes: dict[str, float]
    randomised: dict[str, bool]
    uncompared: frozenset[str] = frozenset()


def comparison_facts(rows: pd.DataFrame) -> ComparisonFacts:
    if rows.empty:
        return ComparisonFacts({}, {})
    groups = rows.groupby("comparison", observed=True, sort=True)
    arms = [c for c in ("n_drug", "n_comparator") if c in rows]
    sizes = groups[arms].max().astype(float).fillna(0).sum(axis=1) if arms else groups.size().astype(float) * 0
    first = groups.first()
    kinds = evidence_kind(first)
    return ComparisonFacts(
        {str(k): float(v) for k, v in sizes.items()},
        {str(k): bool(v) for k, v in randomised(first).items()},
        frozenset(str(k) for k, kind in kinds.items() if kind == NO_COMPARATOR),
    )


def largest_of(names: Sequence[str], facts: ComparisonFacts) -> str | None:
    """Among ``names``, the comparison with the most patients: randomised ones first, then other
    comparisons; a label pool without a comparator only when nothing else matches."""
    if not names:
        return None
    pool = (
        [n for n in names if facts.randomised.get(n, False)]
        or [n for n in names if n not in facts.uncompared]
        or list(names)
    )
    return max(sorted(pool), key=lambda n: facts.sizes.get(n, 0.0))


def largest_randomised(rows: pd.DataFrame) -> str | None:
    """The randomised comparison with the most patients (None if no comparison is randomised)."""
    if rows.empty:
        return None
    facts = comparison_facts(rows)
    found = largest_of(list(facts.sizes), facts)
    return found if found is not None and facts.randomised.get(found, False) else None
