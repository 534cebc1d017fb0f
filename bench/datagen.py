"""Generated side-effects tables of any size, with the shipped schema, for the data-scale benchmark."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.schema import BODY_SYSTEMS, EFFECT_DRUGS, SEVERITIES, SIDE_EFFECTS, TIMEFRAMES

ROOT = Path(__file__).resolve().parent.parent


def side_effects(rows: int, seed: int = 7) -> pd.DataFrame:
    """``rows`` distinct, valid side-effect rows citing the shipped sources and studies."""
    rng = np.random.default_rng(seed)
    sources = pd.read_csv(ROOT / "data" / "sources.csv")["source_id"].to_numpy()
    studies = pd.read_csv(ROOT / "data" / "studies.csv")["study_id"].to_numpy()
    populations = np.array([f"group {i}" for i in range(40)])
    incidence = rng.uniform(0, 60, rows).round(1)
    comparator = (incidence * rng.uniform(0.1, 0.9, rows)).round(1)
    frame = pd.DataFrame(
        {
            "effect": np.char.add("effect ", np.arange(rows).astype(str)),
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


def folder(rows: int, out: Path) -> Path:
    """A copy of data/ (its studies.csv and sources.csv among them) whose side_effects.csv has ``rows``
    generated rows (reused when present)."""
    target = out / f"data-{rows}"
    marker = target / ".complete"
    if marker.exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "data", target)
    side_effects(rows).to_csv(target / "side_effects.csv", index=False)
    marker.touch()
    return target
