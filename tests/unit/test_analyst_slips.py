"""The slips an analyst really makes, each on the file they would really produce: Excel's
"CSV UTF-8" (a byte-order mark, CRLF line endings and trailing rows of bare commas), a renamed
column, a cell edited so that a rate no longer matches its count. Each was first reproduced on a
copy of data/ with ``python -m dashboard validate``."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.catalog import load_catalog
from dashboard.schema import TABLES
from dashboard.validate import missing_optional

ROOT = Path(__file__).resolve().parents[2]


def excel_save(path: Path, rows: list[list[str]], *, trailing: int = 3, width: int | None = None) -> None:
    """Write ``rows`` as Excel's "CSV UTF-8" does: BOM, CRLF, and empty rows below the table
    (``width`` commas each; Excel writes one fewer than the columns, a hand edit often fewer)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    commas = len(rows[0]) - 1 if width is None else width
    path.write_bytes(b"\xef\xbb\xbf" + (buffer.getvalue() + ("," * commas + "\r\n") * trailing).encode("utf-8"))


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def rename(rows: list[list[str]], old: str, new: str) -> list[list[str]]:
    return [[new if cell == old else cell for cell in rows[0]], *rows[1:]]


def run(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["validate", str(folder)])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


# --- 1. headers that catch typos, while extra columns stay allowed -------------------------------


def test_a_misspelt_optional_column_is_an_error_with_a_suggestion(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "side_effects.csv"
    excel_save(path, rename(read_rows(path), "n_drug", "n_durg"))
    code, out, err = run(data_dir, capsys)
    assert code == 1
    assert out[0].startswith("side_effects.csv:1: n_durg: did you mean n_drug? n_drug is an optional column")
    assert out[-1].startswith("1 problem(s) in 1 of")
    assert err == ""  # no duplicate WARNING: line on stderr


def test_a_misspelt_required_column_names_the_near_miss(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_dir / "side_effects.csv"
    excel_save(path, rename(read_rows(path), "incidence_pct", "incidnce_pct"))
    code, out, _ = run(data_dir, capsys)
    assert code == 1
    assert out[0].startswith(
        "side_effects.csv:1: incidnce_pct: did you mean incidence_pct? incidence_pct is a required column"
    )


def test_an_extra_column_far_from_every_declared_name_stays_allowed(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    excel_save(path, [[*rows[0], "clinic_comment"], *[[*row, "checked"] for row in rows[1:]]])
    code, out, _ = run(data_dir, capsys)
    assert code == 0
    assert out[-1].startswith(f"ok: {len(TABLES)} tables")
    assert "clinic_comment" in load_catalog(data_dir).frame("side_effects")


def test_a_missing_optional_column_is_a_warning_saying_what_is_lost(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _drop_adverse_effect_analyses(data_dir)  # no analysis pools the counts this file loses
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    keep = [i for i, name in enumerate(rows[0]) if name not in {"n_drug", "events_drug"}]
    excel_save(path, [[row[i] for i in keep] for row in rows])
    code, out, _ = run(data_dir, capsys)
    assert code == 0
    warning = next(line for line in out if line.startswith("warning: side_effects.csv: n_drug:"))
    assert 'rules not checked without it: "events_drug is greater than n_drug"' in warning  # the rules it costs
    assert "events_drug / n_drug does not agree with incidence_pct" in warning
    assert "Side effects" in warning  # a page that loses it
    assert "confidence intervals" in warning  # and what it loses there
    assert "warning(s) above" in out[-1]


def _drop_adverse_effect_analyses(folder: Path) -> None:
    rows = read_rows(folder / "analyses.csv")
    outcome = rows[0].index("outcome")
    excel_save(folder / "analyses.csv", [r for r in rows if r[outcome] != "adverse effect"], trailing=0)


def test_dropping_counts_an_analysis_pools_names_the_analysis_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without group sizes the side-effect rows a pool names cannot be pooled: analyses.csv says so,
    on the pool's line, naming the row."""
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    keep = [i for i, name in enumerate(rows[0]) if name not in {"n_drug", "events_drug"}]
    excel_save(path, [[row[i] for i in keep] for row in rows])
    analyses = read_rows(data_dir / "analyses.csv")
    line = 1 + next(i for i, r in enumerate(analyses) if r[0] == "esk-trd-sbp40-d28")
    code, out, _ = run(data_dir, capsys)
    assert code == 1
    named = "spravato-trd-pool-systolic-bp-rise-ge-40-mmhg"
    assert any(m.startswith(f"analyses.csv:{line}: effect_ids: {named} has no group sizes") for m in out), out


def test_a_rule_needing_an_optional_column_applies_whenever_that_column_is_there(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another optional column left out does not switch off the rules on the columns that are there."""
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("events_drug")] == "101" and r[header.index("n_drug")] == "346")
    row[header.index("incidence_pct")] = "35"
    keep = [i for i, name in enumerate(header) if name not in {"comparison", "notes", "incidence_max_pct"}]
    excel_save(path, [[r[i] for i in keep] for r in rows])
    code, out, _ = run(data_dir, capsys)
    assert code == 1
    assert any("incidence_pct says 35, but events_drug / n_drug = 101/346 = 29.2%" in line for line in out)
    assert any(line.startswith("warning: side_effects.csv: comparison: optional column is not in") for line in out)


def test_exit_2_when_a_file_cannot_be_read(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data_dir / "claims.csv").unlink()
    (data_dir / "claims.csv").mkdir()
    code, out, err = run(data_dir, capsys)
    assert code == 2
    assert "claims.csv: is a folder, not a file" in out
    assert "claims.csv cannot be read" in err


# --- 2. empty rows are not data -------------------------------------------------------------------


@pytest.mark.parametrize("width", [None, 4])
def test_excel_trailing_empty_rows_are_skipped_with_a_note(
    data_dir: Path, capsys: pytest.CaptureFixture[str], width: int | None
) -> None:
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    excel_save(path, rows, trailing=3, width=width)
    code, out, _ = run(data_dir, capsys)
    assert code == 0
    last = len(rows)  # the header is line 1, so the last data row is line len(rows)
    lines = f"lines {last + 1}, {last + 2}, {last + 3}"
    assert f"warning: side_effects.csv: 3 entirely empty rows skipped ({lines})" in out
    assert load_catalog(data_dir).tables["side_effects"].rows == len(rows) - 1


@pytest.mark.parametrize("empty", ["commas", "blank line"])
def test_an_empty_row_in_the_middle_is_skipped_and_later_lines_stay_right(data_dir: Path, empty: str) -> None:
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    rows[5][rows[0].index("incidence_pct")] = "120"  # a real problem below the empty row: its line must still be right
    buffer = io.StringIO()
    middle: list[list[str]] = [[""] * len(rows[0])] if empty == "commas" else [[]]
    csv.writer(buffer, lineterminator="\r\n").writerows([*rows[:3], *middle, *rows[3:]])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    state = load_catalog(data_dir).tables["side_effects"]
    assert [str(n) for n in state.notes] == ["side_effects.csv: 1 entirely empty row skipped (line 4)"]
    assert {(p.line, p.column) for p in state.problems} == {(7, "incidence_pct")}


def test_commas_inside_a_quoted_cell_are_not_an_empty_row(data_dir: Path) -> None:
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    rows[1][-1] = "first line\n,,,\nlast line"
    excel_save(path, rows, trailing=0)
    state = load_catalog(data_dir).tables["side_effects"]
    assert state.valid
    assert state.notes == ()
    assert state.frame is not None
    assert ",,," in state.frame["notes"].iat[0]


def test_empty_keys_never_count_as_duplicates(data_dir: Path) -> None:
    """Rows with empty key cells are reported once each as empty, never as copies of each other."""
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    blank_key = [rows[1][0], *[""] * (len(rows[0]) - 1)]
    excel_save(path, [*rows, blank_key, blank_key], trailing=0)
    problems = [str(p) for p in load_catalog(data_dir).tables["side_effects"].problems]
    assert problems
    assert not any("duplicate" in p for p in problems), problems
    assert not any("nan" in p for p in problems), problems


# --- 5. messages that teach -------------------------------------------------------------------------


def test_the_rate_rule_shows_the_arithmetic_and_names_the_rate_cell(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "side_effects.csv"
    rows = read_rows(path)
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("events_drug")] == "101" and r[header.index("n_drug")] == "346")
    line = rows.index(row) + 1
    row[header.index("incidence_pct")] = "35.0"
    excel_save(path, rows)
    code, out, err = run(data_dir, capsys)
    assert code == 1
    said = f"side_effects.csv:{line}: incidence_pct: incidence_pct says 35, but events_drug / n_drug = 101/346 = 29.2%"
    assert any(text.startswith(said) for text in out), out
    assert err == ""


def test_the_command_line_prints_no_warning_line_of_its_own(data_dir: Path) -> None:
    """The problems are printed once, on stdout; stderr carries no copy of the first one."""
    (data_dir / "side_effects.csv").write_text("effect\nx\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 1
    assert "WARNING" not in done.stderr
    assert "side_effects.csv: drug: required column is missing" in done.stdout


# --- 6. the Overview says "unavailable", never "no row" ------------------------------------------


def test_the_overview_says_a_broken_side_effects_table_is_unavailable(data_dir: Path) -> None:
    from dashboard import wording
    from dashboard.pagespecs import OVERVIEW
    from dashboard.views import overview

    path = data_dir / "side_effects.csv"
    excel_save(path, rename(read_rows(path), "incidence_pct", "incidnce_pct"))
    catalog = load_catalog(data_dir)
    assert catalog.frame("side_effects") is None
    view = overview.prepare(catalog.frames(OVERVIEW.tables))
    gaps = [gap for pair in view.benefit_harm for tier in pair.tiers for gap in tier.gaps]
    assert gaps
    assert all("side-effects table is unavailable right now" in gap for gap in gaps), gaps
    assert not any("no row" in gap.lower() or "gap in the data" in gap for gap in gaps)
    assert view.top_effects is None  # the page then says so in these words:
    assert "unavailable" in wording.unavailable_table("side-effects", "the most common side effects")


def test_an_optional_column_left_out_names_the_filter_the_page_loses() -> None:
    side_effects = next(spec for spec in TABLES if spec.name == "side_effects")
    said = missing_optional(side_effects, "severity")
    assert "the Side effects page has no 'Severity' filter" in said
    assert "filter" not in missing_optional(side_effects, "n_drug")  # no filter reads the counts alone
