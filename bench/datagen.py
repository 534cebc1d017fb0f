"""Generated side-effects tables of any size, with the shipped schema, for the data-scale benchmark.

A generated table holds the shipped rows as they are (so the side-effect rows that data/analyses.csv
pools are there, under their effect_ids) and generated rows after them, each with an effect_id of its
own, so a generated folder passes every check the shipped one does."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.schema import BODY_SYSTEMS, EFFECT_DRUGS, SEVERITIES, SIDE_EFFECTS, TIMEFRAMES

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "side_effects.csv"
ID_PREFIX = "gen-"
"""Generated rows' effect_ids are this and the row's number (``gen-0``, ``gen-1``, ...)."""
GENERATED_ID = rf"{ID_PREFIX}[0-9]+"
GENERATION = "2: the shipped rows with their effect_ids, then generated rows with effect_ids of their own"
"""Written to a generated folder's marker: a folder made by an earlier version of this module is made again."""


def shipped() -> pd.DataFrame:
    """The shipped side-effect rows as the file has them: every cell the text it is (an empty cell empty)."""
    return pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)


def side_effects(rows: int, seed: int = 7) -> pd.DataFrame:
    """``rows`` distinct, valid side-effect rows citing the shipped sources and studies, each with an
    effect_id no shipped row has."""
    rng = np.random.default_rng(seed)
    sources = pd.read_csv(ROOT / "data" / "sources.csv")["source_id"].to_numpy()
    studies = pd.read_csv(ROOT / "data" / "studies.csv")["study_id"].to_numpy()
    populations = np.array([f"group {i}" for i in range(40)])
    incidence = rng.uniform(0, 60, rows).round(1)
    comparator = (incidence * rng.uniform(0.1, 0.9, rows)).round(1)
    numbers = np.arange(rows).astype(str)
    frame = pd.DataFrame(
        {
            "effect_id": np.char.add(ID_PREFIX, numbers),
            "effect": np.char.add("effect ", numbers),
            "body_system": rng.choice(BODY_SYSTEMS, rows),
            "drug": rng.choice(EFFECT_DRUGS, rows),
            "timeframe": rng.choice(TIMEFRAMES, rows, p=[0.7, 0.2, 0.1]),
            "incidence_pct": incidence,
            "incidence_max_pct": np.where(rng.random(rows) < 0.1, np.minimum(incidence + 5, 100), np.nan),
            "comparator_pct": comparator,
            "comparator_max_pct": np.nan,
            "comparator": "placebo",
            "n_drug": rng.integers(20, 400, rows),
            "n_comparator": rng.integers(20, 400, rows),
            "study_id": rng.choice(studies, rows),
            "population": rng.choice(populations, rows),
            "counted": "at least once during the generated study",
            "severity": rng.choice(SEVERITIES, rows),
            "onset": "",
            "resolution": "",
            "source_id": rng.choice(sources, rows),
            "more_source_ids": "",
            "notes": "",
        }
    )
    return frame[[c for c in SIDE_EFFECTS.columns if c in frame]]  # optional columns it lacks may be absent


EFFECTS = np.array(
    ["Nausea", "Dizziness", "Dissociation", "Headache", "Somnolence", "Vomiting", "Blood pressure increased",
     "Anxiety", "Fatigue", "Dysgeusia", "Vertigo", "Paraesthesia", "Hypoaesthesia oral", "Sedation"]
)  # fmt: skip
NOTE_WORDS = np.array(
    ["reported", "at", "visit", "after", "the", "second", "dose", "resolved", "within", "hours", "without",
     "treatment", "patient", "also", "noted", "mild", "transient", "on", "day", "of", "induction", "phase",
     "followed", "up", "by", "phone", "clinician", "judged", "related", "unrelated", "to", "study", "drug"]
)  # fmt: skip
WIDE_EXTRA = 45
"""Extra ``x_`` columns of the wide shape (with the 20 declared columns: 65 in all)."""
SHAPES = ("plain", "unique-text", "wide")
"""The generated tables: ``plain`` (few distinct values per text column but the effect and its id), ``unique-text``
(an analyst's extract: the effect carries a record number and every row has a note of its own) and
``wide`` (an extract with 45 extra ``x_`` columns, numbers and codes, and long notes)."""


def shaped(rows: int, shape: str, seed: int = 7) -> pd.DataFrame:
    """``side_effects(rows)`` in one of ``SHAPES``."""
    frame = side_effects(rows, seed)
    if shape == "plain":
        return frame
    rng = np.random.default_rng(seed + 1)
    record = np.char.add("R-", np.char.zfill(np.arange(rows).astype(str), 7))
    frame["effect"] = np.char.add(np.char.add(rng.choice(EFFECTS, rows), " #"), record)
    if shape == "unique-text":
        frame["notes"] = _notes(rng, rows, 6, record)
        return frame
    if shape != "wide":
        raise ValueError(f"unknown shape {shape!r}; choose from {', '.join(SHAPES)}")
    frame["notes"] = _notes(rng, rows, 40, record)
    for i in range(WIDE_EXTRA):
        name = f"x_{i + 1:02d}"
        if i % 3 == 0:
            frame[name] = rng.normal(50, 15, rows).round(2)
        elif i % 3 == 1:
            frame[name] = rng.integers(0, 1000, rows)
        else:
            frame[name] = np.char.add(f"code{i}-", rng.integers(0, 50, rows).astype(str))
    return frame


def _notes(rng: np.random.Generator, rows: int, words: int, record: np.ndarray) -> np.ndarray:
    """Free text of ``words`` words from a small vocabulary, made distinct by the row's record number.
    Built from string objects: each word added copies every row's text as long as it is, where a
    fixed-width array would copy the longest row's width for every row."""
    text = rng.choice(NOTE_WORDS.astype(object), rows)
    spaced = np.char.add(" ", NOTE_WORDS).astype(object)
    for _ in range(words - 1):
        text = text + rng.choice(spaced, rows)
    return "Record " + record.astype(object) + ": " + text


def write(rows: int, path: Path, shape: str = "plain") -> None:
    """A side_effects.csv of ``rows`` rows at ``path``: the shipped rows as they are, then generated rows of
    ``shape`` up to ``rows``. Columns are the shipped file's, then any the shape adds (empty on the shipped
    rows); the generated rows leave the optional columns they lack empty."""
    ours = shipped()
    taken = ours["effect_id"].str.fullmatch(GENERATED_ID)
    if taken.any():
        raise ValueError(f"shipped effect_ids look like generated ones: {', '.join(ours['effect_id'][taken])}")
    if rows < len(ours):
        raise ValueError(f"a generated table keeps the {len(ours)} shipped rows: ask for at least as many")
    generated = shaped(rows - len(ours), shape)
    columns = [*ours.columns, *(c for c in generated.columns if c not in ours.columns)]
    with path.open("w", encoding="utf-8", newline="") as out:
        ours.reindex(columns=columns, fill_value="").to_csv(out, index=False)
        generated.reindex(columns=columns).to_csv(out, index=False, header=False)


def folder(rows: int, out: Path, shape: str = "plain") -> Path:
    """A copy of data/ (its studies.csv and sources.csv among them) whose side_effects.csv has ``rows`` rows,
    the shipped ones and generated ones of ``shape`` (``write``); reused when this version made it."""
    target = out / (f"data-{rows}" if shape == "plain" else f"data-{rows}-{shape}")
    marker = target / ".complete"
    if marker.exists() and marker.read_text(encoding="utf-8") == GENERATION:
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "data", target)
    write(rows, target / "side_effects.csv", shape)
    marker.write_text(GENERATION, encoding="utf-8")
    return target
