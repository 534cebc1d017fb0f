"""Keyed diffs between two valid versions of a table, and the analyst's diff command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from dashboard import diff
from dashboard.__main__ import main
from dashboard.csvio import read_csv_bytes
from dashboard.schema import SIDE_EFFECTS, SOURCES
from dashboard.validate import check_table

HEADER = "source_id,citation,year,kind,url,identifier,no_url_reason,accessed\n"
A = "A1,First source,2020,trial,https://doi.org/10.1/a,,,\n"
B = "B2,Second source,2021,review,https://doi.org/10.1/b,,,\n"
C = "C3,Third source,2022,label,https://doi.org/10.1/c,,,\n"


def table(text: str) -> pd.DataFrame:
    checked = check_table(SOURCES, read_csv_bytes("sources.csv", text.encode(), SOURCES.kinds()))
    assert checked.problems == (), checked.problems
    assert checked.frame is not None
    return checked.frame


@pytest.mark.parametrize(
    ("new", "added", "removed", "changed"),
    [
        (HEADER + A + B, (), (), []),
        (HEADER + B + A, (), (), []),  # reordered rows are the same data
        (HEADER + "  A1  ,  First source ,2020,trial,https://doi.org/10.1/a,,,\n" + B, (), (), []),  # whitespace only
        (HEADER + A + B + C, ("C3",), (), []),
        (HEADER + A, (), ("B2",), []),
        (HEADER + A + B.replace("2021", "2019"), (), (), [("B2", "year", "2021", "2019")]),
        (HEADER + A + B.replace("Second source", ""), (), (), None),  # required cell emptied: not a valid version
        (HEADER + A + B.replace("B2,", "B9,"), ("B9",), ("B2",), []),  # a key change is one removed, one added
    ],
)
def test_keyed_diff_table_of_cases(
    new: str, added: tuple[str, ...], removed: tuple[str, ...], changed: list[tuple[str, str, str, str]] | None
) -> None:
    old = table(HEADER + A + B)
    if changed is None:
        checked = check_table(SOURCES, read_csv_bytes("sources.csv", new.encode(), SOURCES.kinds()))
        assert checked.problems
        return
    found = diff.diff_frames(SOURCES, old, table(new))
    assert found.added == added
    assert found.removed == removed
    assert [(c.key, c.column, c.old, c.new) for c in found.changed] == changed
    assert found.same is (not added and not removed and not changed)


def test_a_new_column_is_reported_as_such_not_as_changed_cells() -> None:
    old = table(HEADER + A + B)
    new = table(HEADER.rstrip("\n") + ",reviewer\n" + A.rstrip("\n") + ",me\n" + B.rstrip("\n") + ",you\n")
    found = diff.diff_frames(SOURCES, old, new)
    assert found.columns_added == ("reviewer",)
    assert found.changed == ()
    assert found.summary() == "column reviewer added"


def test_compound_keys_and_numbers_compare_as_values() -> None:
    old = pd.DataFrame(
        {"effect": ["a", "b"], "drug": ["x", "x"], "population": ["p", "p"], "timeframe": ["acute"] * 2}
        | {"source_id": ["S", "S"], "incidence_pct": [41.0, 5.0]}
    )
    new = old.assign(incidence_pct=[41, 6.5])
    found = diff.diff_frames(SIDE_EFFECTS, old, new)
    assert [(c.key, c.old, c.new) for c in found.changed] == [("b | x | p | acute | S", "5", "6.5")]
    assert found.changed_rows == 1
    assert found.summary() == "1 row changed"


def test_kept_cells_are_bounded_but_counts_are_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diff, "MAX_CELLS", 2)
    old = table(HEADER + A + B + C)
    new = table((HEADER + A + B + C).replace("20", "19"))
    found = diff.diff_frames(SOURCES, old, new)
    assert found.changed_rows == 3
    assert len(found.changed) == 2
    assert found.cells_left_out == 1


# --- the command line ------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_same_folders_exit_0(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(data_dir), str(data_dir))
    assert code == 0
    assert out.strip() == "same data: no row added, removed or changed"


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_changed_folder_exits_1_in_every_format(
    data_dir: Path, tmp_path: Path, rewrite: Callable[..., Path], capsys: pytest.CaptureFixture[str], form: str
) -> None:
    import shutil

    old = tmp_path / "old"
    shutil.copytree(data_dir, old)
    rewrite("dosing_factors.csv", lambda text: text.replace("Body weight", "Body weight (kg)", 1))
    code, out, _ = run(capsys, str(old), str(data_dir), "--format", form)
    assert code == 1
    if form == "json":
        report = json.loads(out)
        assert report["same"] is False
        factors = next(t for t in report["tables"] if t["table"] == "dosing_factors")
        assert len(factors["added"]) == len(factors["removed"]) == 1  # the key (factor) changed
    else:
        assert "dosing_factors: 1 row added, 1 row removed" in out
        assert "added: Body weight (kg)" in out or "added: `Body weight (kg)`" in out


def test_two_files_of_one_table(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "new"
    new.mkdir()
    text = (data_dir / "claims.csv").read_text(encoding="utf-8")
    (new / "claims.csv").write_text(text.replace("partly supported", "supported", 1), encoding="utf-8")
    code, out, _ = run(capsys, str(data_dir / "claims.csv"), str(new / "claims.csv"))
    assert code == 1
    assert "changed: C" in out
    assert ": verdict: 'partly supported' -> 'supported'" in out


@pytest.mark.parametrize("breakage", ["missing", "invalid", "other table"])
def test_unreadable_or_invalid_side_exits_2_with_the_validators_messages(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], breakage: str
) -> None:
    other = tmp_path / "other"
    if breakage == "invalid":
        import shutil

        shutil.copytree(data_dir, other)
        path = other / "side_effects.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",41,,9,", ",140,,9,", 1), encoding="utf-8")
    args = [str(data_dir), str(other)] if breakage != "other table" else [
        str(data_dir / "claims.csv"), str(data_dir / "sources.csv")
    ]  # fmt: skip
    code, _, err = run(capsys, *args)
    assert code == 2
    if breakage == "invalid":
        assert "side_effects.csv:2: incidence_pct: must be between 0 and 100 (140)" in err
