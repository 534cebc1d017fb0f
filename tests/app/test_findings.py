"""The summary of findings on the Outcomes page and at the head of Compare: the pooled figures,
the certainty that says what is not rated, and the sensitivity analysis chosen in the URL."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import RunApp


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


ASPIRE = "−3.85 (95% CI −5.79 to −1.91) MADRS points"
TRANSFORM = "−3.82 (95% CI −6.27 to −1.36) MADRS points"


def test_outcomes_page_shows_each_pool_with_its_certainty(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="outcomes")
    assert not at.exception
    assert "Summary of findings: pooled analyses" in subheaders(at)
    shown = texts(at)
    assert ASPIRE in shown
    assert TRANSFORM in shown
    assert "group sizes not in the dataset (2 studies)" in shown
    assert "not rated: no published rating of risk of bias, indirectness, publication bias" in shown
    assert any(b.label == "Download the summary of findings (CSV)" for b in at.get("download_button"))


def test_sensitivity_from_the_url_shows_how_the_estimate_moves(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="outcomes", query={"sensitivity": "leave-one-out"})
    assert not at.exception
    moved = [t for t in texts(at) if t.startswith("each trial left out in turn")]
    assert any("without ASPIRE I: ASPIRE II alone, −3.90 (95% CI −6.60 to −1.11)" in t for t in moved)
    assert at.radio(key="outcomes:sensitivity").value == "leave-one-out"


def test_a_drug_without_pools_says_so(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="outcomes", query={"drug": "racemic ketamine"})
    assert not at.exception
    assert any("No pooled analysis matches" in i.value for i in at.info)


def test_compare_heads_with_the_pools_of_the_chosen_regimen(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="compare", query={"regimen": "esk-mdsi", "sensitivity": "rct-only"})
    assert not at.exception
    shown = texts(at)
    assert ASPIRE in shown
    assert TRANSFORM not in shown
    assert any("every pooled row qualifies" in t for t in shown)


def test_overview_shows_the_pooled_lines_in_the_esketamine_card(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="overview")
    assert not at.exception
    assert any(t.startswith("Esketamine nasal spray added to standard care") and ASPIRE in t for t in texts(at))


def test_each_compared_regimen_leads_with_its_pooled_lines(data_dir: Path, run_app: RunApp) -> None:
    at = run_app(data_dir, page="compare", query={"regimen": ["esk-trd-induction", "iv-elekt-d"]})
    assert not at.exception
    shown = texts(at)
    title = "Esketamine nasal spray with a newly started oral antidepressant"
    pooled = [t for t in shown if t.startswith(title) and TRANSFORM in t]
    assert len(pooled) == 1  # one line, in the TRANSFORM regimen's column; ELEKT-D has no pool
    assert not any(t.startswith("Esketamine nasal spray added to standard care") for t in shown)


def test_compare_puts_the_pooled_harms_beside_the_pooled_benefit_of_one_comparison(
    data_dir: Path, run_app: RunApp
) -> None:
    at = run_app(data_dir, page="compare", query={"regimen": "esk-trd-induction"})
    assert not at.exception
    shown = texts(at)
    assert TRANSFORM in shown
    assert "RR 14.25 (95% CI 3.47 to 58.57)" in shown  # systolic rise of 40 mmHg or more
    assert "RR 4.82 (95% CI 2.33 to 9.96)" in shown  # diastolic rise of 25 mmHg or more
    assert any(t.startswith("NNH ") for t in shown)
    assert ASPIRE not in shown  # another comparison's pool
