"""Regimens side by side: for each, how it is given, where and under what status, and the benefit
(NNT) and harm (NNH) rows that rest on the same trials or label pool (rows whose ``regimen_id``
names it), with the kind of evidence and the sources. Missing evidence is said in words, never
shown as zero."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import wording
from dashboard.catalog import Frames
from dashboard.charts.dosing import regimen_name
from dashboard.filterset import Values
from dashboard.pagespec import SENSITIVITY
from dashboard.pagespecs import COMPARE_PARAMS
from dashboard.ranges import span
from dashboard.schema.values import WARNING_TOPICS
from dashboard.views import effects, evidence, outcomes
from dashboard.views import findings as sof
from dashboard.views.common import Indexed, cited_ids, with_sources, with_studies

NO_DATA = "no data in these tables"
BENEFIT = ["study", "outcome", "timepoint", "comparator", "drug_pct", "comparator_pct", "difference_ci"]
BENEFIT += ["number_needed", "per_100", "evidence", "interval_note", "source_id"]
HARM = ["effect", "comparison", "incidence_pct", "comparator_pct", "difference_ci", "number_needed", "per_100"]
HARM += ["evidence", "interval_note", "source_id"]


@dataclass(frozen=True)
class Prepared(Indexed):
    """The regimens (with their filter index), and the benefit and harm rows that name a regimen."""

    benefits: pd.DataFrame
    harms: pd.DataFrame
    names: dict[str, str]
    precautions: pd.DataFrame | None = None
    """The safety items of every drug (None when that table is unavailable)."""
    pools: sof.Inputs | None = None
    """What the summary of findings pools (None when the analyses are unavailable)."""


def prepare(frames: Frames) -> Prepared:
    regimens = frames["dosing_regimens"]
    assert regimens is not None
    sources = frames["sources"]
    studies = frames["studies"]
    sourced = with_sources(regimens, sources)
    table = Indexed.of(sourced, COMPARE_PARAMS)
    found = frames["outcomes"]
    benefits = pd.DataFrame() if found is None or "regimen_id" not in found else found[found["regimen_id"].notna()]
    harms_all = frames["side_effects"]
    harms = (
        pd.DataFrame()
        if harms_all is None or "regimen_id" not in harms_all
        else harms_all[harms_all["regimen_id"].notna() & harms_all["incidence_pct"].notna()]
    )
    return Prepared(
        table.frame,
        table.index,
        table.params,
        outcomes.with_evidence(with_studies(with_sources(benefits, sources), studies)) if len(benefits) else benefits,
        evidence.add(
            evidence.with_comparison(effects.with_difference(with_studies(with_sources(harms, sources), studies)))
        )
        if len(harms)
        else harms,
        {str(r["regimen_id"]): regimen_name(r) for _, r in sourced.iterrows()},
        frames.get("precautions"),
        sof.prepare_inputs(frames),
    )


NO_SAFETY_TABLE = "the safety table is not available right now"


def warnings_for(precautions: pd.DataFrame | None, drug: str) -> tuple[str, ...]:
    """A drug's contraindications, boxed warnings and warnings, one plain line each, in that
    order, each ending with its source id; empty when the tables hold none for the drug."""
    if precautions is None:
        return (NO_SAFETY_TABLE,)
    rows = precautions[
        (precautions["drug"].astype(str) == drug) & precautions["topic"].astype(str).isin(WARNING_TOPICS)
    ]
    rank = {topic: i for i, topic in enumerate(WARNING_TOPICS)}
    rows = rows.iloc[rows["topic"].astype(str).map(rank).argsort(kind="stable")]
    lines = []
    for _, row in rows.iterrows():
        who = f" ({row['population']})" if pd.notna(row.get("population")) and str(row["population"]) else ""
        lines.append(f"{str(row['topic']).capitalize()}{who}: {row['says']} [{row['source_id']}]")
    return tuple(lines)


@dataclass(frozen=True)
class Column:
    """One regimen's column of the comparison."""

    regimen_id: str
    name: str
    facts: tuple[tuple[str, str], ...]
    benefits: pd.DataFrame
    harms: pd.DataFrame
    kinds: str
    sources: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    """The drug's contraindications and warnings in plain lines (empty: none in these tables)."""
    pooled: tuple[str, ...] = ()
    """The pooled analyses whose rows rest on this regimen, one line each (empty: none)."""


def _text(value: object) -> str:
    return NO_DATA if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else str(value)


def column(prepared: Prepared, regimen_id: str) -> Column:
    row = prepared.frame[prepared.frame["regimen_id"] == regimen_id].iloc[0]
    minutes = span(row["duration_min_minutes"], row["duration_max_minutes"], "min", missing=NO_DATA)
    facts = (
        ("Drug and route", f"{row['drug']}, {row['route']}"),
        ("Dose of one administration", span(row["dose_min"], row["dose_max"], row["dose_unit"])),
        ("Time to give one dose", minutes),
        ("Schedule", _text(row["frequency"])),
        ("Setting and monitoring", _text(row["monitoring"])),
        ("Regulatory status", _text(row["regulatory_status"])),
        ("Who it is for", _text(row["population"])),
    )
    benefits = _rows(prepared.benefits, regimen_id, BENEFIT)
    harms = effects.sort_effects(_rows(prepared.harms, regimen_id, [*HARM, "difference_pct"]), "difference")
    kinds = sorted(
        set(benefits.get("evidence", pd.Series(dtype=str))) | set(harms.get("evidence", pd.Series(dtype=str)))
    )
    cited = [row["source_id"], *cited_ids(prepared.frame[prepared.frame["regimen_id"] == regimen_id])]
    for part in (benefits, harms):
        if "source_id" in part:
            cited += list(part["source_id"].astype(str))
    return Column(
        regimen_id,
        prepared.names.get(regimen_id, regimen_id),
        facts,
        benefits,
        harms[[c for c in HARM if c in harms]],
        ", ".join(k for k in kinds if k) or NO_DATA,
        tuple(dict.fromkeys(str(s) for s in cited)),
        warnings_for(prepared.precautions, str(row["drug"])),
        tuple(wording.pooled_headline(f) for f in sof.findings(prepared.pools, regimen_ids=[regimen_id]).all),
    )


def _rows(frame: pd.DataFrame, regimen_id: str, columns: list[str]) -> pd.DataFrame:
    if frame.empty or "regimen_id" not in frame:
        return pd.DataFrame(columns=columns)
    found = frame[frame["regimen_id"].astype(str) == regimen_id]
    return found[[c for c in columns if c in found]]


@dataclass(frozen=True)
class CompareView:
    columns: tuple[Column, ...]
    options: dict[str, str]
    """Every regimen id with its readable name (for the picker)."""
    catalogue: pd.DataFrame
    """Every regimen with how many benefit and harm rows rest on it: what there is to compare."""
    findings: sof.Findings = field(default_factory=lambda: sof.Findings((), (), SENSITIVITY.default))
    """The pooled analyses of the chosen regimens (of every regimen when none is chosen)."""


def catalogue(prepared: Prepared) -> pd.DataFrame:
    def per(rows: pd.DataFrame) -> pd.Series:
        if rows.empty or "regimen_id" not in rows:
            return pd.Series(dtype="int64")
        return rows["regimen_id"].astype(str).value_counts()

    ids = prepared.frame["regimen_id"].astype(str)
    return pd.DataFrame(
        {
            "regimen": ids.map(prepared.names),
            "regimen_id": ids,
            "drug": prepared.frame["drug"].astype(str),
            "purpose": prepared.frame["purpose"].astype(str),
            "benefit_rows": ids.map(per(prepared.benefits)).fillna(0).astype(int),
            "harm_rows": ids.map(per(prepared.harms)).fillna(0).astype(int),
        }
    ).sort_values(["benefit_rows", "harm_rows"], ascending=False, kind="stable")


def view(prepared: Prepared, values: Values) -> CompareView:
    chosen = [r for r in values.get("regimen", ()) if (prepared.frame["regimen_id"] == r).any()]
    pooled = sof.findings(prepared.pools, str(values.get(SENSITIVITY.key, SENSITIVITY.default)), regimen_ids=chosen)
    return CompareView(tuple(column(prepared, r) for r in chosen), dict(prepared.names), catalogue(prepared), pooled)


def summary_rows(view: CompareView) -> pd.DataFrame:
    """The comparison as rows for the printable summary and the download: one per fact or finding."""
    records = [
        {"regimen": "pooled analyses", "part": f"{f.title}: {f.outcome}", "detail": sof.line(f)}
        for f in view.findings.all
    ]
    for col in view.columns:
        records += [{"regimen": col.name, "part": label, "detail": value} for label, value in col.facts]
        for part, rows, rate in (("benefit", col.benefits, "drug_pct"), ("harm", col.harms, "incidence_pct")):
            if rows.empty:
                records.append({"regimen": col.name, "part": part, "detail": NO_DATA})
            for _, r in rows.iterrows():
                records.append(
                    {"regimen": col.name, "part": part, "detail": wording.finding(r, rate), "source_id": r["source_id"]}
                )
        for line in col.warnings or (NO_DATA,):
            records.append({"regimen": col.name, "part": "contraindications and warnings", "detail": line})
        records.append({"regimen": col.name, "part": "kind of evidence", "detail": col.kinds})
        records.append({"regimen": col.name, "part": "sources", "detail": "; ".join(col.sources)})
    return pd.DataFrame(records, columns=["regimen", "part", "detail", "source_id"])
