"""The bench's generated data folders pass every check the shipped folder passes, the cross-table ones too."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench import datagen
from dashboard.catalog import load_catalog

ROWS = 300


@pytest.mark.parametrize("shape", datagen.SHAPES)
def test_a_generated_folder_is_valid_with_the_analyses_served(tmp_path: Path, shape: str) -> None:
    target = datagen.folder(ROWS, tmp_path, shape)
    catalog = load_catalog(target)
    assert [str(p) for p in catalog.problems] == []
    assert [str(p) for p in catalog.notes] == []  # no optional column left out: the shipped header is kept
    assert catalog.tables["analyses"].available
    assert catalog.tables["side_effects"].rows == ROWS


def test_the_shipped_rows_keep_their_ids_and_generated_rows_have_new_ones(tmp_path: Path) -> None:
    target = datagen.folder(ROWS, tmp_path)
    ids = pd.read_csv(target / "side_effects.csv", dtype=str, keep_default_na=False)["effect_id"]
    shipped = datagen.shipped()["effect_id"]
    assert ids.iloc[: len(shipped)].tolist() == shipped.tolist()
    generated = ids.iloc[len(shipped) :]
    assert generated.str.fullmatch(datagen.GENERATED_ID).all()
    assert ids.is_unique


def test_a_folder_of_an_earlier_generation_is_made_again(tmp_path: Path) -> None:
    target = datagen.folder(ROWS, tmp_path)
    (target / ".complete").write_text("1", encoding="utf-8")
    (target / "side_effects.csv").write_text("effect\n", encoding="utf-8")
    assert datagen.folder(ROWS, tmp_path) == target
    assert not load_catalog(target).problems


def test_a_table_smaller_than_the_shipped_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shipped rows"):
        datagen.write(10, tmp_path / "side_effects.csv")
