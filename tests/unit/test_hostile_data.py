"""The hostile folder the browser tier serves must stay valid, so payloads reach the pages as data."""

from __future__ import annotations

from pathlib import Path

from dashboard.catalog import load_catalog
from dashboard.schema import TABLES
from tests.hostile import PAYLOADS, TEXT_COLUMNS, write_hostile

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_carries_payloads_and_stays_valid(tmp_path: Path) -> None:
    shipped = load_catalog(ROOT / "data")
    hostile = load_catalog(write_hostile(ROOT / "data", tmp_path / "data"))
    assert set(TEXT_COLUMNS) == {spec.name for spec in TABLES}
    assert [str(p) for p in hostile.problems] == []
    for spec in TABLES:
        frame = hostile.frame(spec.name)
        assert frame is not None
        assert len(frame) == len(shipped.frame(spec.name)) + len(PAYLOADS), spec.name
        first = next(iter(TEXT_COLUMNS[spec.name]))
        assert frame[first].astype(str).str.contains("<script>").any(), spec.name
