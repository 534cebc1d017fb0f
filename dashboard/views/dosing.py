"""The dosing page's data: regimens and factors narrowed by their filters, the charts, the weight
arithmetic, and the headline protocols the Overview shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard import charts
from dashboard.catalog import Frames
from dashboard.filterset import Values
from dashboard.pagespecs import DOSING, FACTOR_PARAMS, REGIMEN_PARAMS, WEIGHT
from dashboard.params import Param
from dashboard.ranges import number, span
from dashboard.schema.dosing_regimens import DOSING_CHART
from dashboard.schema.values import PRECAUTION_TOPICS
from dashboard.views.common import Indexed, with_sources
from dashboard.views.tablepage import ChartBlock

DURATION = ["duration_min_minutes", "duration_max_minutes"]


@dataclass(frozen=True)
class Prepared:
    """The regimens and (when available) the factors, each with its filter index."""

    regimens: Indexed
    factors: Indexed | None
    precautions: pd.DataFrame | None = None
    """The safety items (contraindications, warnings, who needs care), with their sources."""

    @property
    def params(self) -> tuple[Param, ...]:
        """The page's parameters (the factor filters only when the factors table is available)."""
        return DOSING.params if self.factors is not None else (*REGIMEN_PARAMS, WEIGHT)

    @property
    def options(self) -> dict[str, list[str]]:
        return self.regimens.options | ({} if self.factors is None else self.factors.options)


def prepare(frames: Frames) -> Prepared:
    regimens = frames["dosing_regimens"]
    assert regimens is not None
    factors = frames["dosing_factors"]
    precautions = frames.get("precautions")
    return Prepared(
        Indexed.of(with_sources(regimens, frames["sources"]), REGIMEN_PARAMS),
        None if factors is None else Indexed.of(with_sources(factors, frames["sources"]), FACTOR_PARAMS),
        None if precautions is None else with_sources(precautions, frames["sources"]),
    )


SAFETY_HEADING = "Safety: contraindications, warnings and who needs care"


def safety(precautions: pd.DataFrame | None, drugs: Sequence[str]) -> pd.DataFrame | None:
    """The safety items of the chosen drugs (all drugs when none is chosen), each drug's
    contraindications first, then boxed warnings, warnings and the rest in declared order.
    None when the table is unavailable."""
    if precautions is None:
        return None
    rows = precautions if not drugs else precautions[precautions["drug"].astype(str).isin(list(drugs))]
    rank = {topic: i for i, topic in enumerate(PRECAUTION_TOPICS)}
    order = rows["topic"].astype(str).map(rank).fillna(len(rank))
    return (
        rows.assign(_order=order.to_numpy())
        .sort_values(["drug", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def safety_note(rows: pd.DataFrame | None) -> str | None:
    """One line for the printable summary: that contraindications and warnings exist for the
    drugs shown, and where to read them."""
    if rows is None or rows.empty:
        return None
    drugs = " and ".join(dict.fromkeys(rows["drug"].astype(str)))
    contraindications = int((rows["topic"].astype(str) == "contraindication").sum())
    return (
        f"Safety: the tables hold {len(rows)} safety items for {drugs}, {contraindications} of them "
        f"contraindications (who must not take the drug), with boxed warnings and warnings. Read them in the "
        f"section '{SAFETY_HEADING}' on the Dosing page, or in precautions.csv on the Data page, before reading "
        "any dose here."
    )


def timed(regimens: pd.DataFrame) -> pd.DataFrame:
    """The regimens that state how long one dose takes (both ends of the range): the duration
    chart and its data table show exactly these rows."""
    return regimens.dropna(subset=DURATION)


DOSE_COLUMNS = ("regimen_id", "drug", "route", "dose_min", "dose_max", "dose_unit", "source_id", "source_kind")
TIME_COLUMNS = ("regimen_id", "drug", "route", *DURATION, "source_id", "source_kind")


def dose_chart(regimens: pd.DataFrame) -> ChartBlock:
    """Each regimen's dose range, one panel per unit."""
    return ChartBlock(
        "Dose of one administration",
        charts.build_dose_ranges(regimens),
        regimens,
        "dose-ranges",
        "Dose range of each regimen with its unit and source.",
        DOSE_COLUMNS,
    )


def time_chart(regimens: pd.DataFrame) -> ChartBlock:
    """How long one dose takes to give, for the regimens that state it (the chart and its table
    show the same rows)."""
    with_time = timed(regimens)
    return ChartBlock(
        "How long one dose takes to give",
        charts.build_durations(with_time),
        with_time,
        "durations",
        "Administration time of each regimen in minutes, with its source.",
        TIME_COLUMNS,
    )


CHARTS: dict[str, Callable[[pd.DataFrame], ChartBlock]] = dict(
    zip(DOSING_CHART.options, (dose_chart, time_chart), strict=True)
)
"""The chart each option of ``DOSING_CHART`` draws."""


def chosen_chart(regimens: pd.DataFrame, values: Values) -> ChartBlock:
    """The chart the reader chose, built alone: the other one cost as much again on every run."""
    return CHARTS.get(str(values.get(DOSING_CHART.key)), dose_chart)(regimens)


@dataclass(frozen=True)
class DosingView:
    counts: dict[str, dict[str, int]]
    regimens: pd.DataFrame
    chart: ChartBlock
    """The one chart the reader chose (``DOSING_CHART``): only it is built."""
    weight: pd.DataFrame
    factors: pd.DataFrame | None
    safety: pd.DataFrame | None = None


def view(prepared: Prepared, values: Values) -> DosingView:
    narrowed = prepared.regimens.narrow(values)
    shown = prepared.regimens.frame[narrowed.keep]
    counts = dict(narrowed.counts)
    factors = None
    if prepared.factors is not None:
        by_factor = prepared.factors.narrow(values)
        counts |= by_factor.counts
        factors = prepared.factors.frame[by_factor.keep]
    return DosingView(
        counts=counts,  # type: ignore[arg-type]
        regimens=shown,
        chart=chosen_chart(shown, values),
        weight=weight_doses(shown, float(values[WEIGHT.key])),
        factors=factors,
        safety=safety(prepared.precautions, [str(d) for d in values.get("drug", ()) or ()]),
    )


def weight_doses(regimens: pd.DataFrame, kg: float) -> pd.DataFrame:
    """Arithmetic only: total mg of one administration for each mg/kg regimen at ``kg``."""
    per_kg = regimens[regimens["dose_unit"] == "mg/kg"]
    out = per_kg[["regimen_id", "drug", "route", "purpose", "dose_min", "dose_max", "source_id"]].copy()
    out.insert(4, "weight_kg", kg)
    out["total_mg_min"] = (per_kg["dose_min"] * kg).round(1)
    out["total_mg_max"] = (per_kg["dose_max"] * kg).round(1)
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    detail: str
    source_id: str


def standard_iv(regimens: pd.DataFrame) -> Headline | None:
    """The IV ketamine protocol that most depression regimens share (dose and infusion time)."""
    iv = timed(
        regimens[
            (regimens["route"] == "IV")
            & (regimens["purpose"] == "depression")
            & (regimens["drug"] == "racemic ketamine")
            & (regimens["source_kind"] != "clinic article")
        ]
    )
    if iv.empty:
        return None
    groups = iv.groupby(["dose_min", "dose_max", "dose_unit", "duration_min_minutes"], dropna=False, observed=True)
    (dose_min, dose_max, unit, minutes), rows = max(groups, key=lambda g: (len(g[1]), -g[0][0]))
    detail = f"in {len(rows)} of {len(iv)} IV depression regimens with a stated infusion time"
    return Headline(
        "Usual IV ketamine protocol",
        f"{span(dose_min, dose_max, unit)} over {number(minutes)} min",
        detail,
        str(rows["source_id"].iloc[0]),
    )


def article_dose(regimens: pd.DataFrame) -> Headline | None:
    rows = timed(regimens[regimens["source_kind"] == "clinic article"])
    if rows.empty:
        return None
    row = rows.iloc[0]
    hours = span(row["duration_min_minutes"] / 60, row["duration_max_minutes"] / 60, "h")
    value = f"{span(row['dose_min'], row['dose_max'], row['dose_unit'])} over {hours}"
    return Headline("The clinic article claims", value, "not what trials or labels use", str(row["source_id"]))


def iv_per_kg(regimens: pd.DataFrame) -> pd.DataFrame:
    """IV regimens dosed per kilogram: the Overview sets the article's claim among them."""
    return regimens[(regimens["route"] == "IV") & (regimens["dose_unit"] == "mg/kg")]
