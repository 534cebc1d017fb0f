"""load_catalog: every bad input an analyst can produce is reported as data, never raised."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard import csvio
from dashboard.catalog import CatalogStore, load_catalog
from dashboard.schema import TABLES

Rewrite = Callable[[str, Callable[[str], str]], Path]


def first_row(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.DictReader(handle))


def append_row(path: Path, **changes: str) -> int:
    """Append a copy of the first data row with ``changes``; return the line it lands on. A copied
    effect_id is left empty (it is unique where given; the copy is a row no analysis pools)."""
    row = first_row(path)
    if "effect_id" in row:
        row["effect_id"] = ""
    row |= changes
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    line = text.count("\n") + 1
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=list(row), lineterminator="\n").writerow(row)
    path.write_text(text + out.getvalue(), encoding="utf-8")
    return line


def messages(folder: Path) -> list[str]:
    return [str(p) for p in load_catalog(folder).problems]


def test_shipped_data_is_valid(data_dir: Path) -> None:
    catalog = load_catalog(data_dir)
    assert catalog.problems == []
    assert all(state.rows > 0 for state in catalog.tables.values())


def test_missing_file_names_the_file_and_the_rest_still_works(data_dir: Path) -> None:
    (data_dir / "dosing_factors.csv").unlink()
    catalog = load_catalog(data_dir)
    assert [str(p) for p in catalog.problems] == ["dosing_factors.csv: file is missing"]
    assert catalog.frame("dosing_factors") is None
    assert catalog.frame("side_effects") is not None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "side_effects.csv: file is empty"),
        (b"effect,body_system\n", "side_effects.csv: has a header but no data rows"),
        (b"\x00\x01\x02garbage\xff\xfe" * 50, "side_effects.csv:1: file is binary"),
    ],
)
def test_unusable_file(data_dir: Path, content: bytes, expected: str) -> None:
    (data_dir / "side_effects.csv").write_bytes(content)
    assert messages(data_dir)[0].startswith(expected)


def test_missing_required_column_is_named(data_dir: Path, rewrite: Rewrite) -> None:
    rewrite("dosing_regimens.csv", lambda t: t.replace("dose_unit", "unit_of_dose", 1))
    found = messages(data_dir)
    assert "dosing_regimens.csv: dose_unit: required column is missing" in found


def test_extra_columns_are_kept_not_an_error(data_dir: Path, rewrite: Rewrite) -> None:
    def add_column(text: str) -> str:
        lines = text.splitlines()
        rows = list(csv.reader(lines))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*rows[0], "analyst_note"])
        writer.writerows([*row, f"note {i}"] for i, row in enumerate(rows[1:]))
        return out.getvalue()

    rewrite("dosing_factors.csv", add_column)
    catalog = load_catalog(data_dir)
    assert catalog.problems == []
    frame = catalog.frame("dosing_factors")
    assert frame is not None
    assert frame["analyst_note"].iat[1] == "note 1"


@pytest.mark.parametrize(
    ("file", "changes", "column", "message"),
    [
        ("dosing_regimens.csv", {"regimen_id": "x1", "dose_min": "half"}, "dose_min", "not a number (half)"),
        ("sources.csv", {"source_id": "X1", "year": "2019.5"}, "year", "not a whole number (2019.5)"),
        (
            "side_effects.csv",
            {"effect": "x1", "incidence_pct": "140"},
            "incidence_pct",
            "must be between 0 and 100 (140)",
        ),
        ("dosing_regimens.csv", {"regimen_id": "x1", "dose_min": "-1"}, "dose_min", "must be at least 0 (-1)"),
        (
            "dosing_regimens.csv",
            {"regimen_id": "x1", "dose_min": "3", "dose_max": "1"},
            "dose_min",
            "dose_min is greater than dose_max (dose_min=3, dose_max=1)",
        ),
        (
            "dosing_regimens.csv",
            {"regimen_id": "x1", "duration_min_minutes": "90", "duration_max_minutes": "40"},
            "duration_min_minutes",
            "duration_min_minutes is greater than duration_max_minutes",
        ),
        (
            "neurotransmitters.csv",
            {"entity": "x1", "direction": "sideways"},
            "direction",
            "must be one of: block, increase, decrease, modulate, uncertain (sideways)",
        ),
        (
            "dosing_factors.csv",
            {"factor": "x1", "source_id": "NOPE99"},
            "source_id",
            "not found in source_id of sources.csv (NOPE99)",
        ),
        (
            "dosing_factors.csv",
            {"factor": "x1", "more_source_ids": "SPR19; NOPE99"},
            "more_source_ids",
            "not found in source_id of sources.csv (SPR19; NOPE99)",
        ),
        (
            "neurotransmitters.csv",
            {"entity": "x1", "leads_to": "Nowhere"},
            "leads_to",
            "not found in entity of neurotransmitters.csv (Nowhere)",
        ),
        (
            "sources.csv",
            {"source_id": "X1", "url": "javascript:alert(1)"},
            "url",
            "must be an https:// or http:// web address (javascript:alert(1))",
        ),
        ("sources.csv", {"source_id": "X1", "url": "ftp://example.org/x"}, "url", "must be an https:// or http://"),
        ("claims.csv", {"claim_id": "C99", "topic": ""}, "topic", "required value is empty"),
        (
            "side_effects.csv",
            {"effect": "x1", "events_drug": "150"},
            "incidence_pct",
            "incidence_pct says 41, but events_drug / n_drug = 150/346 = 43.4%; correct incidence_pct, or "
            "events_drug or n_drug if the count is the one that is wrong (events_drug=150, n_drug=346, "
            "incidence_pct=41)",
        ),
        (
            "side_effects.csv",
            {"effect": "x1", "events_comparator": "300", "comparator_pct": "135"},
            "events_comparator",
            "events_comparator is greater than n_comparator (events_comparator=300, n_comparator=222)",
        ),
        (
            "side_effects.csv",
            {"effect": "x1", "n_drug": "", "events_drug": "12"},
            "n_drug",
            "events_drug is given but n_drug is empty",
        ),
        (
            "side_effects.csv",
            {"effect": "x1", "regimen_id": "no-such-regimen"},
            "regimen_id",
            "not found in regimen_id of dosing_regimens.csv (no-such-regimen)",
        ),
        (
            "side_effects.csv",
            {"effect": "x1", "study_id": "no-such-study"},
            "study_id",
            "not found in study_id of studies.csv (no-such-study)",
        ),
        (
            "outcomes.csv",
            {"outcome_id": "x1", "study_id": "no-such-study"},
            "study_id",
            "not found in study_id of studies.csv (no-such-study)",
        ),
        (
            "side_effects.csv",
            {"effect": "x1", "counted": ""},
            "counted",
            "counted is empty but the row gives a rate",
        ),
        ("studies.csv", {"study_id": "x1", "kind": "RCT"}, "kind", "must be one of: RCT, blinded, RCT, open-label"),
        (
            "studies.csv",
            {"study_id": "x1", "report_source_id": "NOPE"},
            "report_source_id",
            "not found in source_id of sources.csv (NOPE)",
        ),
        (
            "outcomes.csv",
            {"outcome_id": "x1", "regimen_id": "no-such-regimen"},
            "regimen_id",
            "not found in regimen_id of dosing_regimens.csv (no-such-regimen)",
        ),
        ("outcomes.csv", {"outcome_id": "x1", "outcome": "cure"}, "outcome", "must be one of: response, remission"),
        ("outcomes.csv", {"outcome_id": "X 1"}, "outcome_id", "must be lower-case letters, digits, dots, hyphens"),
        (
            "outcomes.csv",
            {"outcome_id": "x1", "drug_pct": "50"},
            "measure",
            "a proportion row gives rates, a mean-difference row a difference, not both",
        ),
        (
            "outcomes.csv",
            {"outcome_id": "x1", "mean_difference_low": "-1"},
            "mean_difference_low",
            "mean_difference_low is greater than mean_difference",
        ),
        (
            "sources.csv",
            {"source_id": "X1", "identifier": "doi 10.1/x; PMID 123"},
            "identifier",
            'must be identifiers separated by "; "',
        ),
        (
            "sources.csv",
            {"source_id": "X1", "url": "", "no_url_reason": ""},
            "url",
            "url is empty and no_url_reason does not say why",
        ),
        (
            "dosing_factors.csv",
            {"factor": "x1", "guidance": "y" * 5000},
            "guidance",
            "longer than 2000 characters (yyyy",
        ),
    ],
)
def test_bad_cell_names_file_line_column_rule_and_value(
    data_dir: Path, file: str, changes: dict[str, str], column: str, message: str
) -> None:
    line = append_row(data_dir / file, **changes)
    found = messages(data_dir)
    assert any(m.startswith(f"{file}:{line}: {column}: {message}") for m in found), found


def test_duplicate_key_points_at_the_first_copy(data_dir: Path) -> None:
    path = data_dir / "dosing_regimens.csv"
    line = append_row(path)
    key = first_row(path)["regimen_id"]
    assert f"dosing_regimens.csv:{line}: regimen_id: duplicate regimen_id: same as line 2 ({key})" in messages(data_dir)


def test_duplicate_compound_key(data_dir: Path) -> None:
    line = append_row(data_dir / "side_effects.csv", notes="a second copy")
    found = messages(data_dir)
    assert any(
        m.startswith(f"side_effects.csv:{line}: effect+drug+population+timeframe+source_id: duplicate") for m in found
    )


def test_non_utf8_bytes_give_the_line(data_dir: Path) -> None:
    path = data_dir / "dosing_factors.csv"
    line = append_row(path, factor="x1")
    path.write_bytes(path.read_bytes().replace(b"x1", "caf\u00e9".encode("latin-1")))
    assert messages(data_dir) == [
        f"dosing_factors.csv:{line}: text is not UTF-8; save the file as UTF-8 (in Excel: CSV UTF-8) (byte 0xE9)"
    ]


def test_bom_and_crlf_endings_are_accepted(data_dir: Path) -> None:
    path = data_dir / "dosing_factors.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert messages(data_dir) == []


def test_semicolon_delimiter(data_dir: Path, rewrite: Rewrite) -> None:
    def to_semicolons(text: str) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\n").writerows(csv.reader(text.splitlines()))
        return out.getvalue()

    rewrite("dosing_factors.csv", to_semicolons)
    assert messages(data_dir)[0].startswith("dosing_factors.csv:1: columns are separated by semicolons; use commas")


def test_row_with_too_many_and_too_few_fields(data_dir: Path, rewrite: Rewrite) -> None:
    path = rewrite("claims.csv", lambda t: t + "C90,topic,says\nC91,a,b,not supported,c,ANA23,,dosing,extra,more\n")
    lines = path.read_text(encoding="utf-8").count("\n")
    found = messages(data_dir)
    assert f"claims.csv:{lines - 1}: too few fields: 3 instead of 8" in found
    assert f"claims.csv:{lines}: too many fields: 10 instead of 8" in found


def test_truncated_last_line_caught_mid_copy(data_dir: Path) -> None:
    path = data_dir / "dosing_factors.csv"
    data = path.read_bytes()
    path.write_bytes(data[: data.rfind(b",", 0, len(data) - 2) - 10])
    found = messages(data_dir)
    assert any("the file may have been caught mid-copy" in m or "never closed" in m for m in found), found


def test_quoted_newlines_keep_line_numbers(data_dir: Path) -> None:
    path = data_dir / "dosing_factors.csv"
    append_row(path, factor="two\nline factor")
    line = append_row(path, factor="x2", category="nonsense")
    assert any(m.startswith(f"dosing_factors.csv:{line}: category: must be one of") for m in messages(data_dir))


def test_problem_values_of_hostile_cells_stay_on_one_line(data_dir: Path) -> None:
    append_row(data_dir / "dosing_factors.csv", factor="x1", category="<script>\nalert(1)</script>\u202e")
    found = [m for m in messages(data_dir) if "category" in m]
    assert len(found) == 1
    assert "\n" not in found[0]
    assert "\u202e" not in found[0]


def test_every_problem_names_file_and_rule(data_dir: Path, rewrite: Rewrite) -> None:
    rewrite("side_effects.csv", lambda t: t.replace(",", ";", 3))
    problems = load_catalog(data_dir).problems
    assert problems
    for problem in problems:
        assert problem.file in {t.file for t in TABLES}
        assert problem.message


# --- the shared store: parse once per change, last valid version on failure ---------------


def touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_unchanged_files_are_parsed_once(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    original = csvio.read_csv_file
    monkeypatch.setattr("dashboard.catalog.read_csv_file", lambda p, *a: reads.append(p.name) or original(p, *a))
    store = CatalogStore(data_dir)
    first = store.refresh()
    assert store.refresh() is first
    assert sorted(reads) == sorted(t.file for t in TABLES)
    touch_later(data_dir / "claims.csv")
    store.refresh()
    assert reads[len(TABLES) :] == ["claims.csv"]


def test_broken_replacement_keeps_serving_last_valid_version_then_recovers(data_dir: Path) -> None:
    store = CatalogStore(data_dir)
    good = store.refresh().frame("side_effects")
    assert good is not None
    path = data_dir / "side_effects.csv"
    original = path.read_bytes()
    half = original[: len(original) // 2]
    path.write_bytes(half[: half.rfind(b"\n") + 1] + b"Dissociation,psychiatric\n")  # cut off mid-file
    touch_later(path)
    broken = store.refresh().tables["side_effects"]
    assert broken.fallback
    assert broken.problems
    assert broken.frame is good
    path.unlink()
    deleted = store.refresh().tables["side_effects"]
    assert deleted.fallback
    assert deleted.frame is good
    assert [str(p) for p in deleted.problems] == ["side_effects.csv: file is missing"]
    path.write_bytes(original.replace(b"Dissociation", b"Dissociative symptoms", 1))
    touch_later(path)
    back = store.refresh().tables["side_effects"]
    assert not back.fallback
    assert not back.problems
    assert back.frame is not None
    assert "Dissociative symptoms" in set(back.frame["effect"])


def test_table_never_valid_is_unavailable_and_others_still_serve(data_dir: Path) -> None:
    (data_dir / "dosing_regimens.csv").write_bytes(b"not,a,table\n1,2\n")
    catalog = CatalogStore(data_dir).refresh()
    state = catalog.tables["dosing_regimens"]
    assert not state.available
    assert not state.fallback
    assert state.problems
    assert all(catalog.tables[t.name].available for t in TABLES if t.name != "dosing_regimens")


def test_a_sources_file_that_drops_a_cited_source_is_refused_naming_the_table_it_breaks(
    data_dir: Path, rewrite: Rewrite
) -> None:
    """The analyst's reproduction: sources.csv swapped in without a source other tables cite."""
    store = CatalogStore(data_dir)
    before = store.refresh()
    cited = first_row(data_dir / "dosing_factors.csv")["source_id"]
    path = rewrite("sources.csv", lambda t: "\n".join(row for row in t.split("\n") if not row.startswith(cited + ",")))
    touch_later(path)
    after = store.refresh()
    factors, sources = after.tables["dosing_factors"], after.tables["sources"]
    assert factors.valid
    assert not factors.fallback
    assert sources.fallback
    assert sources.frame is before.frame("sources")
    assert cited in set(sources.frame["source_id"])
    [problem] = [p for p in sources.problems if "dosing_factors.csv" in p.message]
    assert problem.file == "sources.csv"
    assert "not put live: dosing_factors.csv would cite ids this file does not have" in problem.message
    assert cited in problem.message
    assert "change dosing_factors.csv in the same swap" in problem.message


def test_upload_preview_checks_schema_and_sources_in_memory(data_dir: Path) -> None:
    from dashboard.catalog import check_bytes
    from dashboard.schema import BY_NAME

    catalog = load_catalog(data_dir)
    good = (data_dir / "dosing_factors.csv").read_bytes()
    before = sorted(p.name for p in data_dir.iterdir())
    assert check_bytes(BY_NAME["dosing_factors"], good, catalog).problems == ()
    bad = good.replace(b"\nBody weight,demographic", b"\nBody weight,nonsense", 1) + b"New,demographic,both,x,y,NOPE,\n"
    problems = [str(p) for p in check_bytes(BY_NAME["dosing_factors"], bad, catalog).problems]
    assert any(":2: category: must be one of" in p for p in problems), problems
    missing_source = good + b"New factor,demographic,both,x,y,NOPE,\n"
    problems = [str(p) for p in check_bytes(BY_NAME["dosing_factors"], missing_source, catalog).problems]
    assert problems
    assert problems[0].endswith("source_id: not found in source_id of sources.csv (NOPE)")
    assert sorted(p.name for p in data_dir.iterdir()) == before


# --- versions and what changed -------------------------------------------------------------------


def bump(path: Path) -> None:
    """Make sure the store sees a new file even within one mtime tick."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_every_table_has_a_content_version_and_the_catalog_one_over_them(data_dir: Path) -> None:
    import hashlib

    catalog = load_catalog(data_dir)
    for name, state in catalog.tables.items():
        assert state.version == hashlib.sha256((data_dir / f"{name}.csv").read_bytes()).hexdigest()
    assert len(catalog.version) == 12
    assert load_catalog(data_dir).version == catalog.version


def test_a_valid_swap_records_what_changed_and_a_broken_one_records_nothing(data_dir: Path) -> None:
    store = CatalogStore(data_dir)
    first = store.refresh()
    path = data_dir / "dosing_factors.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Body weight", "Body weight (kg)", 1), encoding="utf-8")
    bump(path)
    second = store.refresh()
    (change,) = second.changes["dosing_factors"]
    assert change.old_version == first.tables["dosing_factors"].version
    assert change.new_version == second.tables["dosing_factors"].version
    assert (len(change.diff.added), len(change.diff.removed)) == (1, 1)
    assert second.version != first.version
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    bump(path)
    third = store.refresh()
    assert third.tables["dosing_factors"].fallback
    assert third.changes["dosing_factors"] == (change,)
    assert third.version == second.version


def test_the_same_bytes_again_are_not_a_new_version(data_dir: Path) -> None:
    store = CatalogStore(data_dir)
    first = store.refresh()
    bump(data_dir / "claims.csv")
    again = store.refresh()
    assert again.changes["claims"] == ()
    assert again.tables["claims"].version == first.tables["claims"].version


def test_history_is_bounded(data_dir: Path) -> None:
    from dashboard.catalog import HISTORY

    store = CatalogStore(data_dir)
    store.refresh()
    path = data_dir / "claims.csv"
    text = path.read_text(encoding="utf-8")
    for i in range(HISTORY + 3):
        path.write_text(text.replace("Suboxone", f"Suboxone v{i}", 1), encoding="utf-8")
        bump(path)
        catalog = store.refresh()
    assert len(catalog.changes["claims"]) == HISTORY
    newest = catalog.changes["claims"][0].diff.changed[0]
    assert newest.new.count(f"Suboxone v{HISTORY + 2}") == 1
