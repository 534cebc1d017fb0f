"""Swapping a folder of tables in: one set, validated together, served through one rename; and the
analyst's other tools (template, the upload check's table, the one update notice)."""

from __future__ import annotations

import csv
import io
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.catalog import CatalogStore, load_catalog
from dashboard.describe import table_for_file
from dashboard.schema import BY_NAME
from dashboard.swap import GRACE, KEEP, SwapError, swap, versions_dir
from dashboard.views.status import update_notices
from tests.unit.test_analyst_slips import excel_save, read_rows


def without_source(path: Path, source_id: str) -> None:
    rows = read_rows(path)
    excel_save(path, [row for row in rows if row[0] != source_id])


def test_the_first_swap_makes_the_link_and_a_partial_folder_keeps_the_other_tables(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "live"
    assert main(["swap", str(data_dir), str(link)]) == 0
    first = os.readlink(link)
    assert not os.path.isabs(first)
    assert load_catalog(link).problems == []

    partial = tmp_path / "edits"
    partial.mkdir()
    rows = read_rows(data_dir / "dosing_factors.csv")
    rows[1][rows[0].index("guidance")] += " (edited)"
    excel_save(partial / "dosing_factors.csv", rows)  # Excel's CSV UTF-8, trailing empty rows
    (partial / "notes.txt").write_text("my notes", encoding="utf-8")
    capsys.readouterr()
    assert main(["swap", str(partial), str(link)]) == 0
    out = capsys.readouterr().out
    assert "warning: dosing_factors.csv: 3 entirely empty rows skipped" in out
    assert "not copied (not a table's file): notes.txt" in out
    assert "changed: dosing_factors.csv\n" in out
    assert os.readlink(link) != first
    served = load_catalog(link)
    assert served.frame("dosing_factors")["guidance"].iat[0].endswith("(edited)")
    assert (link / "datapackage.json").is_file()  # written for this version: never a stale copy


def test_a_swap_that_would_break_another_table_changes_nothing_and_names_the_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "live"
    swap(data_dir, link)
    before = os.readlink(link)
    partial = tmp_path / "edits"
    partial.mkdir()
    cited = read_rows(data_dir / "side_effects.csv")[1][read_rows(data_dir / "side_effects.csv")[0].index("source_id")]
    (partial / "sources.csv").write_bytes((data_dir / "sources.csv").read_bytes())
    without_source(partial / "sources.csv", cited)
    capsys.readouterr()
    assert main(["swap", str(partial), str(link)]) == 1
    out = capsys.readouterr().out
    assert os.readlink(link) == before
    line = next(text for text in out.splitlines() if "side_effects.csv would cite" in text)
    assert line.startswith("sources.csv: not put live: side_effects.csv would cite ids this file does not have")
    assert cited in line
    assert "nothing swapped" in out
    assert [p.name for p in versions_dir(link).iterdir()] == [Path(before).name]  # no half-made version left


def test_a_real_folder_is_not_swapped_in_place(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SwapError, match="is a folder, not a link"):
        swap(data_dir, data_dir)
    assert main(["swap", str(data_dir), str(data_dir)]) == 2
    assert "a swap replaces a link in one step" in capsys.readouterr().err


def test_old_versions_are_pruned_to_the_newest_few(data_dir: Path, tmp_path: Path) -> None:
    link = tmp_path / "live"
    start = datetime(2026, 12, 1, tzinfo=UTC)
    for i in range(KEEP + 2):
        swap(data_dir, link, now=start + i * GRACE)
    kept = sorted(p.name for p in versions_dir(link).iterdir())
    assert len(kept) == KEEP
    assert Path(os.readlink(link)).name == kept[-1]
    for i in range(KEEP + 1):  # a burst of swaps: none younger than GRACE is removed
        swap(data_dir, link, now=start + (KEEP + 2) * GRACE + timedelta(seconds=i))
    assert len(list(versions_dir(link).iterdir())) == KEEP + 1  # the burst's four: the oldest is young


def test_the_app_refuses_a_new_sources_file_in_place_and_after_a_restart_says_which_file(
    data_dir: Path,
) -> None:
    """In place (files copied one by one) the catalog refuses the breaking file; after a restart it has
    no earlier version to serve, and the notice names the file and why."""
    cited = read_rows(data_dir / "side_effects.csv")[1][read_rows(data_dir / "side_effects.csv")[0].index("source_id")]
    store = CatalogStore(data_dir)
    store.refresh()
    without_source(data_dir / "sources.csv", cited)
    live = store.refresh()
    assert live.tables["side_effects"].valid
    assert live.tables["sources"].fallback
    restarted = CatalogStore(data_dir).refresh()
    state = restarted.tables["side_effects"]
    assert not state.available
    notice = state.problems[-1].message
    assert notice.startswith("unavailable since the server started: it cites ids missing from sources.csv")
    assert "a restart keeps no earlier version" in notice


def test_two_files_changed_together_go_live_together(data_dir: Path) -> None:
    """A new study and a side-effect row citing it: neither is refused for the other's sake."""
    store = CatalogStore(data_dir)
    store.refresh()
    studies = read_rows(data_dir / "studies.csv")
    new_study = [*studies[1]]
    new_study[0] = "zz-new-study"
    excel_save(data_dir / "studies.csv", [*studies, new_study], trailing=0)
    effects = read_rows(data_dir / "side_effects.csv")
    header = effects[0]
    row = [*effects[1]]
    row[header.index("effect")] = "Zz new effect"
    row[header.index("study_id")] = "zz-new-study"
    row[header.index("effect_id")] = "zz-new-study-zz-new-effect"
    excel_save(data_dir / "side_effects.csv", [*effects, row], trailing=0)
    catalog = store.refresh()
    assert catalog.problems == []
    assert "Zz new effect" in set(catalog.frame("side_effects")["effect"])


def test_template_prints_the_header_and_one_example_row(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "side_effects"]) == 0
    text = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == list(BY_NAME["side_effects"].columns)
    assert len(rows) == 2


def test_template_of_an_unknown_table_lists_the_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "side_efects"]) == 2
    assert "side_effects" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("side_effects.csv", "side_effects"),
        ("side_effects-template.csv", "side_effects"),
        ("Side-Effects (2).CSV", "side_effects"),
        ("dosing_factors_edited.csv", "dosing_factors"),
        ("dosing_regimens.csv", "dosing_regimens"),
        ("my table.csv", None),
    ],
)
def test_the_upload_check_takes_the_table_from_the_file_name(name: str, table: str | None) -> None:
    found = table_for_file(name)
    assert (found.name if found else None) == table


def test_update_notices_collapse_into_one_line(data_dir: Path) -> None:
    store = CatalogStore(data_dir)
    store.refresh()
    edits = {"dosing_factors": "guidance", "claims": "evidence_says", "precautions": "says"}
    for name, column in edits.items():
        path = data_dir / BY_NAME[name].file
        rows = read_rows(path)
        rows[1][rows[0].index(column)] += " (edited)"
        excel_save(path, rows, trailing=0)
        store.refresh()
    catalog = store.current
    assert catalog is not None
    notices = update_notices(catalog, datetime.now(UTC))
    assert len(notices) == 1
    titles = ", ".join(BY_NAME[name].title.lower() for name in reversed(edits))
    assert notices[0].endswith(f": 3 tables ({titles}).")


def test_a_refresh_during_a_swap_reads_one_version_whole(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link is switched after the refresh read its first file: the rest still come from the
    version it started on (the next refresh takes the new one, whole)."""
    import dashboard.catalog as catalog_module

    new = tmp_path / "new"
    new.mkdir()
    for name, column in {"sources": "citation", "claims": "evidence_says"}.items():
        rows = read_rows(data_dir / BY_NAME[name].file)
        rows[1][rows[0].index(column)] += " (new)"
        excel_save(new / BY_NAME[name].file, rows, trailing=0)
    link = tmp_path / "live"
    swap(data_dir, link)
    store = CatalogStore(link)
    old = store.refresh().version
    reads = catalog_module.read_csv_file
    switched: list[bool] = []

    def read_then_swap(path: Path, kinds: object) -> object:
        found = reads(path, kinds)  # type: ignore[arg-type]
        if not switched:
            switched.append(True)
            swap(new, link)
        return found

    monkeypatch.setattr(catalog_module, "read_csv_file", read_then_swap)
    store._signatures.clear()  # this refresh reads every file again (as after a swap: new inodes)
    during = store.refresh()
    assert switched
    assert during.version == old
    assert during.problems == []
    after = store.refresh()
    assert after.version not in {old, during.version}
    assert after.frame("claims")["evidence_says"].iat[0].endswith("(new)")
    assert after.frame("sources")["citation"].iat[0].endswith("(new)")


def test_the_upload_check_says_which_table_a_new_file_would_break(data_dir: Path) -> None:
    from dashboard.catalog import check_bytes

    catalog = load_catalog(data_dir)
    rows = read_rows(data_dir / "sources.csv")
    cited = read_rows(data_dir / "side_effects.csv")[1][read_rows(data_dir / "side_effects.csv")[0].index("source_id")]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([r for r in rows if r[0] != cited])
    checked = check_bytes(BY_NAME["sources"], b"\xef\xbb\xbf" + buffer.getvalue().encode(), catalog)
    messages = [p.message for p in checked.problems]
    assert any(m.startswith("not put live: side_effects.csv would cite ids this file does not have") for m in messages)
    assert all(p.file == "sources.csv" for p in checked.problems)
    good = check_bytes(BY_NAME["sources"], (data_dir / "sources.csv").read_bytes(), catalog)
    assert good.problems == ()
