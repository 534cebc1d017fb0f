"""The safety items on screen: the Dosing page's section and each compared regimen's warnings."""

from __future__ import annotations

from pathlib import Path

from tests.app.conftest import RunApp

HEADING = "Safety: contraindications, warnings and who needs care"


def test_dosing_page_shows_the_safety_section_narrowed_by_the_drug_filter(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="dosing", query={"drug": ["racemic ketamine"]})
    assert not at.exception
    assert HEADING in [h.value for h in at.subheader]
    safety = [df.value for df in at.dataframe if "says" in df.value.columns]
    assert len(safety) == 1
    assert set(safety[0]["drug"]) == {"racemic ketamine"}
    assert (safety[0]["topic"] == "contraindication").any()


def test_compare_lists_each_regimens_contraindications_as_plain_text(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="compare", query={"regimen": ["esk-trd-induction", "iv-elekt-d"]})
    assert not at.exception
    shown = [t.value for t in at.text]
    esketamine = [t for t in shown if "arteriovenous malformation" in t]
    ketamine = [t for t in shown if "significant rise in blood pressure" in t]
    assert len(esketamine) == 1
    assert esketamine[0].startswith("Contraindication")
    assert len(ketamine) == 1
    assert "arteriovenous" not in ketamine[0]
    headings = [m.value for m in at.markdown]
    assert headings.count("**Contraindications and warnings for this drug**") == 2
