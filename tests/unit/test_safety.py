"""The safety items: the Dosing page's section follows the drug filter, the comparison lists each
regimen's contraindications and warnings, and the printable summary says where to read them."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from dashboard import filterset, summary
from dashboard.catalog import Catalog, load_catalog
from dashboard.pagespecs import COMPARE, DOSING
from dashboard.views import compare, dosing
from tests.conftest import DATA


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DATA)


def values(params: tuple[object, ...], **chosen: object) -> filterset.Values:
    return filterset.Values(filterset.defaults(params) | chosen)  # type: ignore[arg-type]


def test_the_dosing_page_shows_every_drugs_safety_items_contraindications_first(catalog: Catalog) -> None:
    prepared = dosing.prepare(catalog.frames(DOSING.tables))
    shown = dosing.view(prepared, values(DOSING.params)).safety
    assert shown is not None
    assert set(shown["drug"]) == {"esketamine", "racemic ketamine"}
    for _, rows in shown.groupby("drug", observed=True):
        assert rows["topic"].iloc[0] == "contraindication"
    says = " ".join(shown["says"].astype(str))
    assert "aneurysm" in says
    assert "bleeding inside the brain" in says
    assert "not been shown to prevent suicide" in says
    assert shown["source"].notna().all()  # every item links to its source


def test_the_drug_filter_narrows_the_safety_items(catalog: Catalog) -> None:
    prepared = dosing.prepare(catalog.frames(DOSING.tables))
    ketamine = dosing.view(prepared, values(DOSING.params, drug=["racemic ketamine"])).safety
    assert ketamine is not None
    assert len(ketamine) > 0
    assert set(ketamine["drug"]) == {"racemic ketamine"}
    arketamine = dosing.view(prepared, values(DOSING.params, drug=["arketamine"])).safety
    assert arketamine is not None
    assert arketamine.empty


def test_no_safety_table_means_no_section_rather_than_an_empty_one() -> None:
    assert dosing.safety(None, ["esketamine"]) is None
    assert dosing.safety_note(None) is None


def test_the_summary_note_says_contraindications_exist_and_where_to_read_them(catalog: Catalog) -> None:
    prepared = dosing.prepare(catalog.frames(DOSING.tables))
    view = dosing.view(prepared, values(DOSING.params, drug=["esketamine"]))
    note = dosing.safety_note(view.safety)
    assert note is not None
    assert view.safety is not None
    contraindications = int((view.safety["topic"] == "contraindication").sum())
    assert f"{contraindications} of them contraindications" in note
    assert "for esketamine," in note
    assert "racemic ketamine" not in note
    assert dosing.SAFETY_HEADING in note
    rows = pd.DataFrame({"regimen_id": ["esk-trd-induction"]})
    base = summary.View("Dosing", [], None, None, rows, 1, None, "Not medical advice.", "", (note,))
    page = summary.build(base, None, datetime(2026, 12, 4, tzinfo=UTC))
    assert page.index(dosing.SAFETY_HEADING) < page.index("<h2>Rows")


def test_each_compared_regimen_lists_its_own_drugs_contraindications(catalog: Catalog) -> None:
    prepared = compare.prepare(catalog.frames(COMPARE.tables))
    chosen = ["esk-trd-induction", "iv-elekt-d", "iv-arketamine-pcn101"]
    view = compare.view(prepared, {"regimen": chosen})
    esketamine, ketamine, arketamine = view.columns
    assert esketamine.warnings[0].startswith("Contraindication (aneurysmal vascular disease")
    assert any("arteriovenous malformation" in line for line in esketamine.warnings)
    assert not any("significant rise in blood pressure" in line for line in esketamine.warnings)
    assert ketamine.warnings[0].startswith("Contraindication")
    assert "significant rise in blood pressure" in ketamine.warnings[0]
    assert all(line.endswith("]") for line in ketamine.warnings)  # each line names its source id
    assert arketamine.warnings == ()  # no label in these tables: said as "no data", not borrowed
    rows = compare.summary_rows(view)
    safety = rows[rows["part"] == "contraindications and warnings"]
    assert set(safety["regimen"]) == {c.name for c in view.columns}
    assert compare.NO_DATA in set(safety.loc[safety["regimen"] == arketamine.name, "detail"])


def test_compare_without_the_safety_table_says_so() -> None:
    assert compare.warnings_for(None, "esketamine") == (compare.NO_SAFETY_TABLE,)
