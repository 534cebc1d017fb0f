"""Benefit beside harm for one drug, paired fairly by rule (the Overview's headline).

The rule, which the page states in words (``dashboard.wording.HEADLINE_RULE``):

1. Benefit and harm are paired within one kind of comparator: placebo-controlled evidence first
   (saline and midazolam, an "active placebo", count as placebo), then active comparators (ECT,
   quetiapine), each under its own heading. A benefit against an active treatment is never set
   beside a harm against placebo.
2. Only randomised evidence is paired (``evidence.randomised``); within a kind of comparator a
   primary randomised trial comes before a pooled or post hoc analysis, response before remission.
3. The harm is the most common effect of the randomised comparison that shares the benefit's study
   where there is one (same population and time frame), else the largest of that comparator kind.
4. Against active treatments every study is listed, whichever way its result goes; a row whose group
   sizes are not printed shows its rates without an interval and says why (a blank count never
   hides a result).
5. Where one side is missing, the headline says so in words that cannot be read as "no harm".

Pure: frames in, values out. The sentences come from ``dashboard.wording``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard import wording
from dashboard.views import evidence

PLACEBO = re.compile(r"placebo|saline|midazolam", re.IGNORECASE)
TIERS = ("placebo", "active")
BENEFITS = ("response", "remission")
MAX_ACTIVE = 4
"""Studies listed against active treatments (every one the tables hold, up to this many)."""


def comparator_tier(comparator: object) -> str | None:
    """``placebo``, ``active`` (another treatment) or None (no comparator)."""
    if not isinstance(comparator, str) or not comparator.strip():
        return None
    return "placebo" if PLACEBO.search(comparator) else "active"


@dataclass(frozen=True)
class Line:
    """One figure of the headline: its sentence and where it was read."""

    text: str
    source_id: str


@dataclass(frozen=True)
class Tier:
    """Benefit beside harm against one kind of comparator."""

    heading: str
    benefits: tuple[Line, ...]
    harms: tuple[Line, ...]
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class DrugHeadline:
    drug: str
    tiers: tuple[Tier, ...]


def _tiered(rows: pd.DataFrame | None, drug: str, tier: str) -> pd.DataFrame:
    if rows is None or rows.empty:
        return pd.DataFrame()
    mine = rows[(rows["drug"] == drug).to_numpy()]
    if mine.empty:
        return mine
    tiers = mine["comparator"].map(comparator_tier, na_action="ignore").to_numpy()
    return mine[(tiers == tier) & evidence.randomised(mine).to_numpy()]


def _benefit_rows(outcomes: pd.DataFrame | None, drug: str, tier: str) -> pd.DataFrame:
    rows = _tiered(outcomes, drug, tier)
    if rows.empty:
        return rows
    rated = rows["outcome"].isin(BENEFITS) & rows["drug_pct"].notna() & rows["comparator_pct"].notna()
    rows = rows[rated.to_numpy()]
    rank = evidence.kind_rank(rows)
    outcome = rows["outcome"].astype(str).map({name: i for i, name in enumerate(BENEFITS)})
    order = rows.assign(_kind=rank.to_numpy(), _outcome=outcome.to_numpy())
    return order.sort_values(["_kind", "_outcome"], kind="stable")


def _harm_rows(effects: pd.DataFrame | None, drug: str, tier: str, study: str | None) -> pd.DataFrame:
    """The rows of the one comparison the harm is read from (empty when there is none)."""
    rows = _tiered(effects, drug, tier)
    if rows.empty:
        return rows
    rows = rows[(rows["incidence_pct"].notna() & rows["comparator_pct"].notna()).to_numpy()]
    if study is not None and "study_id" in rows:
        same = rows[(rows["study_id"].astype(str) == study).to_numpy()]
        rows = same if not same.empty else rows
    pick = evidence.largest_randomised(rows)
    return rows[(rows["comparison"].astype(str) == pick).to_numpy()] if pick is not None else rows.iloc[0:0]


def _study(row: pd.Series) -> str | None:
    value = row.get("study_id")
    return str(value) if isinstance(value, str) else None


@dataclass(frozen=True, eq=False)
class Picked:
    """The rows a tier's lines are written from (the public pages draw them as well as say them)."""

    benefits: pd.DataFrame
    harms: pd.DataFrame


def placebo_rows(outcomes: pd.DataFrame | None, effects: pd.DataFrame | None, drug: str) -> Picked:
    """The placebo tier's benefit (one row at most) and harm (one row at most), by the rule above."""
    benefits = _benefit_rows(outcomes, drug, "placebo")
    best = benefits.head(1)
    harm_rows = _harm_rows(effects, drug, "placebo", _study(best.iloc[0]) if len(best) else None)
    harm = (
        harm_rows.sort_values("incidence_pct", ascending=False, kind="stable").head(1) if len(harm_rows) else harm_rows
    )
    return Picked(best, with_evidence(harm))


def placebo_tier(outcomes: pd.DataFrame | None, effects: pd.DataFrame | None, drug: str) -> Tier:
    picked = placebo_rows(outcomes, effects, drug)
    best = picked.benefits.iloc[0] if len(picked.benefits) else None
    harm = picked.harms
    gaps = []
    if best is None:
        gaps.append(wording.no_controlled("benefit", drug, outcomes is None))
    if harm.empty:
        gaps.append(wording.no_controlled("harm", drug, effects is None))
    return Tier(
        wording.TIER_HEADINGS["placebo"],
        () if best is None else (Line(wording.benefit_line(best), str(best["source_id"])),),
        tuple(Line(wording.harm_line(row), str(row["source_id"])) for _, row in harm.iterrows()),
        tuple(gaps),
    )


def active_tier(outcomes: pd.DataFrame | None, effects: pd.DataFrame | None, drug: str) -> Tier | None:
    """Every study against an active treatment, one line each, favourable or not (None: no such study)."""
    picked = active_rows(outcomes, effects, drug)
    if picked is None:
        return None
    firsts, harms = picked.benefits, picked.harms
    gaps = () if not harms.empty else (wording.no_controlled("harm", drug, effects is None, tier="active"),)
    return Tier(
        wording.TIER_HEADINGS["active"],
        tuple(Line(wording.benefit_line(row), str(row["source_id"])) for _, row in firsts.iterrows()),
        tuple(Line(wording.harm_line(row), str(row["source_id"])) for _, row in harms.iterrows()),
        gaps,
    )


def active_rows(outcomes: pd.DataFrame | None, effects: pd.DataFrame | None, drug: str) -> Picked | None:
    """Every study against an active treatment (up to ``MAX_ACTIVE`` of each side); None: no such study."""
    benefits = _benefit_rows(outcomes, drug, "active")
    harms = _tiered(effects, drug, "active")
    if benefits.empty and harms.empty:
        return None
    study = "study_id" if "study_id" in benefits else "study"
    firsts = benefits.drop_duplicates(study, keep="first").head(MAX_ACTIVE) if not benefits.empty else benefits
    harms = harms[harms["incidence_pct"].notna().to_numpy()] if not harms.empty else harms
    return Picked(firsts, with_evidence(harms.head(MAX_ACTIVE)))


def with_evidence(harms: pd.DataFrame) -> pd.DataFrame:
    """The picked harm rows with their evidence columns (``evidence.add``, which replaces any the rows
    already carry), which the headline's lines quote. Each row's columns depend on that row alone, so
    adding them to the few rows picked gives the same figures as adding them to the whole table first."""
    return harms if harms.empty else evidence.add(harms)


def drug_headline(outcomes: pd.DataFrame | None, effects: pd.DataFrame | None, drug: str) -> DrugHeadline:
    """``outcomes`` carry the evidence columns, ``effects`` may (None: the table is unavailable)."""
    active = active_tier(outcomes, effects, drug)
    tiers = (placebo_tier(outcomes, effects, drug), *(() if active is None else (active,)))
    return DrugHeadline(drug, tiers)
