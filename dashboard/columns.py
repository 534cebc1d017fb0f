"""One vocabulary for declaring columns and the checks a table's rows must pass.

Every column is a pandera ``Column`` whose ``metadata`` holds its kind (a ``dashboard.kinds``
object: how the column is read, held, documented and shown) and its unit; its pandera dtype is
the kind's. Row checks that compare columns are ``RowCheck`` records: the validator reads which
columns a failure concerns from the record, never from a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from dashboard import kinds
from dashboard.kinds import ColumnKind

MAX_TEXT = 2000
"""Longest text cell accepted, in characters: longer is a mistake (a pasted document, a runaway quote)."""

SOURCE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]*$"
SOURCE_IDS_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]*(; ?[A-Za-z0-9][A-Za-z0-9-]*)*$"


def column(
    kind: ColumnKind,
    description: str,
    *,
    checks: Sequence[pa.Check] = (),
    required: bool = True,
    optional: bool = False,
    unique: bool = False,
    unit: str | None = None,
    title: str | None = None,
    loses: str | None = None,
) -> pa.Column:
    """``required``: the cell may not be empty. ``optional``: the column itself may be absent
    (``loses`` then says what the pages lack without it: the warning of a file that leaves it out)."""
    return pa.Column(
        kind.dtype,
        checks=list(checks),
        nullable=not required,
        required=not optional,
        unique=unique,
        report_duplicates="exclude_first",
        title=title,
        description=description,
        metadata={"kind": kind, "unit": unit, "loses": loses},
    )


def arrow_strings(series: pd.Series) -> pyarrow.Array:
    """A text column as an Arrow string array (no copy for Arrow-backed strings)."""
    return pyarrow.array(series, type=pyarrow.string(), from_pandas=True)


def max_length_check(limit: int) -> pa.Check:
    """Text at most ``limit`` characters, counted by pyarrow (pandas' str.len() is slow on a
    million rows); named and described like pandera's own str_length check."""

    def holds(series: pd.Series) -> pd.Series:
        if isinstance(series.dtype, pd.CategoricalDtype):
            short = holds(pd.Series(series.cat.categories, dtype="str")).to_numpy()
            codes = series.cat.codes.to_numpy()
            return pd.Series(np.where(codes >= 0, short[np.maximum(codes, 0)], True), index=series.index)
        text = arrow_strings(series)
        # A character takes at least one byte: when no cell has more bytes than the limit allows
        # characters (read from the offsets alone), no cell is too long, and the text is not scanned.
        if (pc.max(pc.binary_length(text)).as_py() or 0) <= limit:
            return pd.Series(True, index=series.index)
        lengths = pc.utf8_length(text)
        fits = pc.fill_null(pc.less_equal(lengths, limit), True)
        return pd.Series(fits.to_numpy(zero_copy_only=False), index=series.index)

    return pa.Check(
        holds,
        name="str_length",
        error=f"longer than {limit} characters",
        statistics={"min_value": None, "max_value": limit, "exact_value": None},
    )


class Presence(TypedDict, total=False):
    """Whether a cell may be empty, the column may be left out, and values must differ."""

    required: bool
    optional: bool
    unique: bool
    title: str | None


def text(description: str, *, max_length: int = MAX_TEXT, **kw: Unpack[Presence]) -> pa.Column:
    return column(kinds.TEXT, description, checks=[max_length_check(max_length)], **kw)


def identifier(description: str, *, checks: Sequence[pa.Check] = (), **kw: Unpack[Presence]) -> pa.Column:
    """A short id rows refer to (unique in its own table)."""
    return column(kinds.IDENTIFIER, description, checks=checks, **kw)


def label(description: str, *, max_length: int = 300, **kw: Unpack[Presence]) -> pa.Column:
    """Free text that repeats across rows (a population, a comparator): held as a category."""
    return column(kinds.LABEL, description, checks=[max_length_check(max_length)], **kw)


def choice(description: str, values: Sequence[str], **kw: Unpack[Presence]) -> pa.Column:
    """A column of allowed values, held as a pandas category (fast filters and facet counts)."""
    check = pa.Check.isin(list(values), error="must be one of: " + ", ".join(values))
    return column(kinds.CHOICE, description, checks=[check], **kw)


def number(
    description: str,
    unit: str,
    *,
    minimum: float | None = 0,
    maximum: float | None = None,
    **kw: Unpack[Presence],
) -> pa.Column:
    """A real number; ``minimum=None`` allows any sign (a difference between groups)."""
    if minimum is None:
        checks: list[pa.Check] = []
    elif maximum is None:
        checks = [pa.Check.ge(minimum, error=f"must be at least {minimum:g}")]
    else:
        checks = [pa.Check.in_range(minimum, maximum, error=f"must be between {minimum:g} and {maximum:g}")]
    return column(kinds.NUMBER, description, checks=checks, unit=unit, **kw)


def integer(
    description: str, unit: str | None, *, minimum: int, maximum: int, loses: str | None = None, **kw: Unpack[Presence]
) -> pa.Column:
    check = pa.Check.in_range(minimum, maximum, error=f"must be between {minimum:,} and {maximum:,}")
    return column(kinds.INTEGER, description, checks=[check], unit=unit, loses=loses, **kw)


def date(description: str, **kw: Unpack[Presence]) -> pa.Column:
    """A calendar date, written YYYY-MM-DD."""
    return column(kinds.DATE, description, **kw)


def link(description: str, **kw: Unpack[Presence]) -> pa.Column:
    """A web address; the cell may be empty unless ``required=True``."""
    kw.setdefault("required", False)
    check = pa.Check.str_matches(r"^https?://[^\s/?#]+\.[^\s]*$", error="must be an https:// or http:// web address")
    return column(kinds.LINK, description, checks=[check], **kw)


def source_ref() -> pa.Column:
    check = pa.Check.str_matches(SOURCE_ID_PATTERN, error="must be a source id (letters, digits, hyphens)")
    return column(kinds.SOURCE, "The reference for this row: a source_id from sources.csv.", checks=[check])


def source_refs() -> pa.Column:
    check = pa.Check.str_matches(SOURCE_IDS_PATTERN, error='must be source ids separated by "; "')
    return column(
        kinds.SOURCES,
        'Further references for this row: source_ids from sources.csv, separated by "; ".',
        checks=[check],
        required=False,
        optional=True,
    )


STUDY_ID_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"


def study_ref() -> pa.Column:
    """The study, label pool or analysis a row's figure comes from: a study_id of studies.csv (where
    the figure was read is the row's ``source_id``)."""
    check = pa.Check.str_matches(
        STUDY_ID_PATTERN, error="must be a study id (lower-case letters, digits, dots, hyphens)"
    )
    return column(
        kinds.LABEL,
        "The study, label pool or analysis the figure comes from: a study_id from studies.csv (its kind is "
        "the row's kind of evidence; source_id says where the figure was read).",
        checks=[max_length_check(60), check],
    )


def counted(what: str) -> pa.Column:
    """What exactly a rate counts (over which period, among whom), required where a rate is given."""
    return text(
        f"What exactly was counted for {what}: over which period or at which visit, and among whom, as the "
        "source says (required where a rate is given).",
        max_length=300,
        required=False,
    )


def needs_when(column_name: str, given: Sequence[str]) -> RowCheck:
    """``column_name`` may not be empty on a row where any of ``given`` has a value."""

    def holds(df: pd.DataFrame) -> pd.Series:
        present = pd.Series(False, index=df.index)
        for name in given:
            present |= df[name].notna()
        return df[column_name].notna() | ~present

    return RowCheck(
        f"{column_name} needed",
        (column_name, *given),
        f"{column_name} is empty but the row gives a rate",
        holds,
    )


# --- checks across the columns of a row ----------------------------------------------------


@dataclass(frozen=True)
class RowCheck:
    """A rule over several columns of one row: ``holds(frame)`` is True where a row passes.

    ``columns`` are the cells a failure is reported with; ``message`` says what is wrong."""

    name: str
    columns: tuple[str, ...]
    message: str
    holds: Callable[[pd.DataFrame], pd.Series]
    earlier: Callable[[pd.DataFrame, int], tuple[str, str, int] | None] | None = None
    """For a rule against repeats: what a failing row repeats (e.g. "DOI"), the value, and the row
    that first had it, so the problem can say "same DOI as line N"."""
    explain: Callable[[pd.DataFrame, int], tuple[str, str]] | None = None
    """For a rule whose message needs the row's numbers: the cell to report and the message."""

    def as_pandera(self) -> pa.Check:
        # ignore_na=False: each rule says itself what an empty cell means, and pandera's own NA
        # handling would scan every cell of the table once per rule (a tenth of a second per
        # million rows, for rows that are empty in every column and fail the schema anyway).
        return pa.Check(self._guarded, name=self.name, error=self.message, ignore_na=False)

    def _guarded(self, df: pd.DataFrame) -> pd.Series:
        """The rule applies whenever its columns are in the file; with one of them left out (an
        optional column) it has nothing to compare, and the file's warning says so."""
        if any(c not in df for c in self.columns):
            return pd.Series(True, index=df.index)
        return self.holds(df)


def ordered(low: str, high: str) -> RowCheck:
    """``low <= high`` wherever both are given."""
    return RowCheck(
        f"{low}<={high}",
        (low, high),
        f"{low} is greater than {high}",
        lambda df: df[low].isna() | df[high].isna() | (df[low] <= df[high]),
    )


def all_or_none(first: str, second: str) -> RowCheck:
    """``second`` is given only when ``first`` is (a comparator rate needs a comparator)."""
    return RowCheck(
        f"{second} needs {first}",
        (first, second),
        f"{second} is given but {first} is empty",
        lambda df: df[second].isna() | df[first].notna(),
    )


def counts_agree(events: str, n: str, pct: str) -> RowCheck:
    """A printed count agrees with the printed rate: ``100 * events / n`` rounds to ``pct`` at the
    precision ``pct`` is given in (41 means 40.5 to 41.5; 0.5 means 0.45 to 0.55)."""

    def holds(df: pd.DataFrame) -> pd.Series:
        e = df[events].to_numpy(dtype="float64", na_value=np.nan)
        size = df[n].to_numpy(dtype="float64", na_value=np.nan)
        rate = df[pct].to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            printed = 100 * e / size
        decimals = np.where(
            np.isclose(rate, np.round(rate)), 0, np.where(np.isclose(rate * 10, np.round(rate * 10)), 1, 2)
        )
        tolerance = 0.5 * 10.0 ** (-decimals) + 1e-9
        unknown = np.isnan(e) | np.isnan(size) | np.isnan(rate) | (size == 0)
        return pd.Series(unknown | (np.abs(printed - rate) <= tolerance), index=df.index)

    def explain(df: pd.DataFrame, row: int) -> tuple[str, str]:
        e, size, rate = (float(df[c].iat[row]) for c in (events, n, pct))
        return pct, (
            f"{pct} says {rate:g}, but {events} / {n} = {e:g}/{size:g} = {100 * e / size:.1f}%; "
            f"correct {pct}, or {events} or {n} if the count is the one that is wrong"
        )

    message = f"{events} / {n} does not agree with {pct}"
    return RowCheck(f"{events}/{n}~{pct}", (events, n, pct), message, holds, explain=explain)


def arm_columns(what: str) -> dict[str, pa.Column]:
    """Group sizes and event counts of the two arms, shared by every table that compares two groups."""

    loses = "confidence intervals, risk differences and NNT/NNH, which need both group sizes and event counts"

    def count(description: str, minimum: int) -> pa.Column:
        return integer(
            description, "patients", minimum=minimum, maximum=100_000_000, required=False, optional=True, loses=loses
        )

    return {
        "n_drug": count("Number of patients on the drug.", 1),
        "n_comparator": count("Number of patients on the comparator.", 1),
        "events_drug": count(f"Patients on the drug {what}, where the source prints the count.", 0),
        "events_comparator": count(f"Patients on the comparator {what}, where the source prints the count.", 0),
    }


def arm_checks(drug_pct: str, comparator_pct: str) -> list[RowCheck]:
    """Counts within their group sizes, and agreeing with the printed rates."""
    return [
        ordered("events_drug", "n_drug"),
        ordered("events_comparator", "n_comparator"),
        all_or_none("n_drug", "events_drug"),
        all_or_none("n_comparator", "events_comparator"),
        counts_agree("events_drug", "n_drug", drug_pct),
        counts_agree("events_comparator", "n_comparator", comparator_pct),
    ]


DOI = re.compile(r"doi:(10\.\d{4,9}/[^\s;]+)", re.IGNORECASE)


def _dois(identifiers: pd.Series) -> pd.Series:
    """Every DOI of every row, lower-cased (DOIs are case-insensitive), indexed by row position."""
    cells = identifiers.reset_index(drop=True)
    cells = cells[cells.notna()].astype(str)
    cells = cells[cells.str.contains("doi:", case=False, regex=False)]
    found = cells.str.extractall(DOI)[0].str.lower()
    return found.droplevel("match")


def distinct_dois(column: str) -> RowCheck:
    """No two rows carry the same DOI in ``column`` (a list of identifiers): a later row that
    repeats a DOI fails, and its problem names the DOI and the line that first had it."""

    def holds(df: pd.DataFrame) -> pd.Series:
        dois = _dois(df[column])
        repeated = dois.index[dois.duplicated(keep="first").to_numpy()].unique()
        passes = np.ones(len(df), dtype=bool)
        passes[repeated.to_numpy(dtype=np.int64)] = False
        return pd.Series(passes, index=df.index)

    def earlier(df: pd.DataFrame, row: int) -> tuple[str, str, int] | None:
        dois = _dois(df[column])
        mine = set(dois[dois.index == row])
        for position, doi in dois.items():
            if position < row and doi in mine:
                return "DOI", f"doi:{doi}", int(position)
        return None

    message = "a DOI is repeated from an earlier row"
    return RowCheck(f"distinct DOIs in {column}", (column,), message, holds, earlier)


DUPLICATE_KEY = "duplicate key"


def unique_together(columns: Sequence[str]) -> pa.Check:
    """Rows must differ on ``columns`` together; later copies fail. Each row's key becomes one
    integer (mixed-radix over the columns' factor codes), so a million rows take milliseconds."""

    def holds(df: pd.DataFrame) -> pd.Series:
        key = df[[c for c in columns if c in df]]
        combined = _key_numbers(key)
        if combined is None:  # too many distinct values to pack into 63 bits: compare as text
            repeated = key.astype(str).duplicated(keep="first")
        else:
            repeated = pd.Series(combined, index=df.index).duplicated(keep="first")
        # An empty key cell equals nothing, not even another empty one (it is reported as empty).
        return ~repeated | key.isna().any(axis=1)

    return pa.Check(holds, name="unique:" + "+".join(columns), error=DUPLICATE_KEY, ignore_na=False)


def _key_numbers(key: pd.DataFrame) -> np.ndarray | None:
    combined = np.zeros(len(key), dtype=np.int64)
    span = 1
    for name in key.columns:
        codes, radix = _codes(key[name])
        if span > (2**62) // radix:
            return None
        combined = combined * radix + codes
        span *= radix
    return combined


def _codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Equal values get equal numbers in ``range(radix)``. Categories already have codes; free
    text is ranked by Arrow (a sort: about 4x faster than hashing a million distinct strings)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int64) + 1, len(values.cat.categories) + 1
    if pd.api.types.is_string_dtype(values.dtype) and len(values):
        ranks = pc.rank(arrow_strings(values), sort_keys="ascending", tiebreaker="dense")  # nulls rank as one value
        codes = ranks.to_numpy(zero_copy_only=False).astype(np.int64)
        return codes, int(codes.max()) + 1
    factors, uniques = pd.factorize(values, use_na_sentinel=True)
    return factors + 1, len(uniques) + 1
