"""The Overview's data: headline figures computed from the tables, and the article's claims in order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard import charts, wording
from dashboard.catalog import Frames
from dashboard.pagespecs import BY_PATH, OVERVIEW, PageSpec
from dashboard.schema import VERDICTS
from dashboard.views import dosing, effects, evidence, findings, headline, outcomes
from dashboard.views.common import with_sources, with_studies
from dashboard.views.tablepage import ChartBlock

HEADLINE_DRUGS = ("esketamine", "racemic ketamine")
ARTICLE_COLUMNS = [
    "regimen_id",
    "purpose",
    "dose_min",
    "dose_max",
    "duration_min_minutes",
    "duration_max_minutes",
    "source_id",
    "source_kind",
]


@dataclass(frozen=True)
class TimeCourse:
    text: str
    source_id: str


@dataclass(frozen=True)
class OverviewView:
    benefit_harm: tuple[headline.DrugHeadline, ...]
    headlines: tuple[dosing.Headline, ...]
    time_course: TimeCourse | None
    top_effects: pd.DataFrame | None
    claims: pd.DataFrame | None
    article: tuple[ChartBlock, ...]
    """The article's IV claim among trial protocols and the anaesthetic label (none when the
    regimens are unavailable); ``pagespecs.ARTICLE_CHART`` picks the one drawn."""
    pooled: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Per drug, its pooled analyses in one line each (the summary of findings), shown above the
    benefit-beside-harm pairing (a drug without a pool has none)."""


def time_course(mechanism: pd.DataFrame | None) -> TimeCourse | None:
    """How soon it works and for how long: the mechanism table's clinical-outcome row."""
    if mechanism is None:
        return None
    outcome = mechanism[mechanism["entity_type"] == "clinical outcome"]
    if outcome.empty:
        return None
    row = outcome.iloc[0]
    text = row["time_course"] if pd.notna(row["time_course"]) else row["ketamine_action"]
    return TimeCourse(str(text), str(row["source_id"]))


def detail_page(page: object) -> PageSpec | None:
    """The page a claim points to for details (none when it points to the Overview itself)."""
    spec = BY_PATH.get(page) if isinstance(page, str) else None
    return None if spec is None or spec is OVERVIEW else spec


def claims_in_order(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims the evidence does not support first, then partly, then supported (the schema's order)."""
    rank = {verdict: i for i, verdict in enumerate(VERDICTS)}
    return claims.sort_values("verdict", key=lambda s: s.map(rank).astype(int), kind="stable")


def article_charts(regimens: pd.DataFrame) -> tuple[ChartBlock, ChartBlock]:
    """The article's infusion time and IV dose, each among the trials' and the label's."""
    iv = dosing.iv_per_kg(regimens)
    timed = dosing.timed(iv)
    heading = "The article's infusion against trial protocols and the anaesthetic label"
    return (
        ChartBlock(
            heading,
            charts.build_durations(timed, title="Infusion time: the article's claim against trials"),
            timed[ARTICLE_COLUMNS],
            "article-vs-trials-time",
            "Infusion time of IV regimens: the clinic article against trials and the anaesthetic label.",
        ),
        ChartBlock(
            heading,
            charts.build_dose_ranges(iv, title="IV dose: the article's claim against trials"),
            iv[ARTICLE_COLUMNS],
            "article-vs-trials-dose",
            "IV dose ranges: the clinic article against trials and the anaesthetic label.",
        ),
    )


def headline_rows(frames: Frames) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Benefit rows (with their evidence columns) and harm rows, with their studies and sources: what
    the headline picks from (None: the table is unavailable). The harms get their evidence columns
    only once picked (``headline.placebo_rows``, ``headline.active_rows``): the side-effects table
    is the one an analyst swaps for a large extract, and wording a million rows to quote a few took
    most of a server's start."""
    sources, studies = frames["sources"], frames["studies"]
    side_effects = None if frames["side_effects"] is None else with_studies(frames["side_effects"], studies)
    outcome_rows = None if frames["outcomes"] is None else with_studies(frames["outcomes"], studies)
    benefits = None if outcome_rows is None else outcomes.with_evidence(with_sources(outcome_rows, sources))
    harms = None if side_effects is None else evidence.with_comparison(with_sources(side_effects, sources))
    return benefits, harms


def prepare(frames: Frames) -> OverviewView:
    """Everything the overview shows, once per data version (the page has no filters)."""
    sources = frames["sources"]
    regimens = frames["dosing_regimens"]
    sourced = None if regimens is None else with_sources(regimens, sources)
    found = [] if sourced is None else [dosing.standard_iv(sourced), dosing.article_dose(sourced)]
    studies = frames["studies"]
    side_effects = None if frames["side_effects"] is None else with_studies(frames["side_effects"], studies)
    top = None if side_effects is None else with_sources(effects.headline_effects(side_effects), sources)
    claims = frames["claims"]
    benefits, harms = headline_rows(frames)
    pairs = tuple(headline.drug_headline(benefits, harms, drug) for drug in HEADLINE_DRUGS)
    inputs = findings.prepare_inputs(frames)
    pooled = {
        drug: lines
        for drug in HEADLINE_DRUGS
        if (lines := tuple(wording.pooled_headline(f) for f in findings.findings(inputs, drugs=[drug]).all))
    }
    return OverviewView(
        benefit_harm=pairs,
        headlines=tuple(h for h in found if h is not None),
        time_course=time_course(frames["neurotransmitters"]),
        top_effects=top,
        claims=None if claims is None else claims_in_order(claims),
        article=() if sourced is None else article_charts(sourced),
        pooled=pooled,
    )
