"""The studies table: each outcome and side-effect row names the study its figure comes from (whose
kind is the row's kind of evidence), apart from the source where the figure was read."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import filterset
from dashboard.catalog import Catalog, load_catalog
from dashboard.filters import Facet
from dashboard.pagespecs import COMPARE, OUTCOMES_PAGE, OVERVIEW, SIDE_EFFECTS_PAGE, PageSpec
from dashboard.schema import OUTCOMES, RANDOMISED_KINDS, SIDE_EFFECTS, STUDIES, STUDY_KINDS, TableSpec
from dashboard.schema.spec import Reference
from dashboard.views import outcomes
from tests.conftest import DATA

RATES = {"outcomes": ("drug_pct", "comparator_pct"), "side_effects": ("incidence_pct", "comparator_pct")}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DATA)


def test_the_studies_declaration() -> None:
    assert STUDIES.key == ("study_id",)
    assert STUDIES.columns["study_id"].unique
    assert STUDIES.allowed("kind")[:8] == (
        "RCT, blinded",
        "RCT, open-label",
        "post hoc or pooled analysis of RCTs",
        "label pool with comparator",
        "label pool without comparator",
        "meta-analysis",
        "observational",
        "secondary summary",
    )
    assert STUDIES.allowed("blinding") == ("double-blind", "single-blind", "open-label", "not applicable", "not stated")
    assert STUDIES.columns["report_source_id"].nullable
    assert Reference("report_source_id", "sources", "source_id") in STUDIES.references


@pytest.mark.parametrize("spec", [OUTCOMES, SIDE_EFFECTS])
def test_outcome_and_side_effect_rows_name_a_study_and_no_design(spec: TableSpec) -> None:
    assert spec.columns["study_id"].required
    assert not spec.columns["study_id"].nullable
    assert Reference("study_id", "studies", "study_id") in spec.references
    assert "design" not in spec.columns


def test_randomised_kinds_leave_out_a_label_pool_without_a_comparator() -> None:
    assert set(RANDOMISED_KINDS) <= set(STUDY_KINDS)
    assert "label pool without comparator" not in RANDOMISED_KINDS
    assert "label pool with comparator" in RANDOMISED_KINDS
    assert "post hoc or pooled analysis of RCTs" in RANDOMISED_KINDS
    assert not {"observational", "secondary summary", "case series", "clinic article"} & set(RANDOMISED_KINDS)


def test_the_shipped_tables_are_valid_and_every_study_is_used(catalog: Catalog) -> None:
    for name in ("studies", "outcomes", "side_effects"):
        assert not catalog.tables[name].problems, catalog.tables[name].problems
    studies, found, effects = (catalog.frame(n) for n in ("studies", "outcomes", "side_effects"))
    assert studies is not None
    assert found is not None
    assert effects is not None
    used = set(found["study_id"].astype(str)) | set(effects["study_id"].astype(str))
    assert used == set(studies["study_id"].astype(str))


@pytest.mark.parametrize("table", sorted(RATES))
def test_every_shipped_row_with_a_rate_says_what_was_counted(catalog: Catalog, table: str) -> None:
    frame = catalog.frame(table)
    assert frame is not None
    rated = frame[frame[list(RATES[table])].notna().any(axis=1)]
    assert len(rated) > 0
    empty = rated[rated["counted"].isna() | (rated["counted"].astype(str).str.strip() == "")]
    assert empty.empty, empty.iloc[:, 0].tolist()


def test_sustain_1_harm_rows_say_the_patients_had_already_responded(catalog: Catalog) -> None:
    effects = catalog.frame("side_effects")
    assert effects is not None
    rows = effects[(effects["study_id"] == "sustain-1") & effects["incidence_pct"].notna()]
    assert len(rows) > 0
    assert rows["counted"].astype(str).str.contains("already responded to and tolerated").all()


@pytest.mark.parametrize(
    ("outcome_id", "study_kind"),
    [
        ("transform2-response-d28", "post hoc or pooled analysis of RCTs"),  # Katz 2021
        ("transform2-response-d28-cit", "post hoc or pooled analysis of RCTs"),  # Citrome 2020
        ("aspire-pooled-madrs-24h", "post hoc or pooled analysis of RCTs"),  # Canuso 2021
        ("aspire-pooled-remission-by-d25", "post hoc or pooled analysis of RCTs"),  # Fu 2023
        ("karmadep2-response-eot", "RCT, blinded"),  # read in a blog: still the trial's figure
        ("escape-remission-relapsefree-w32", "RCT, open-label"),
        ("cochrane-ket-vs-placebo-score-24h", "meta-analysis"),
    ],
)
def test_the_kind_of_evidence_comes_from_the_study(catalog: Catalog, outcome_id: str, study_kind: str) -> None:
    prepared = outcomes.prepare(catalog.frames(OUTCOMES_PAGE.tables))
    row = prepared.frame.set_index("outcome_id").loc[outcome_id]
    assert row["study_kind"] == study_kind
    shown = outcomes.with_evidence(prepared.frame).set_index("outcome_id")
    assert shown.loc[outcome_id, "evidence"] == study_kind


@pytest.mark.parametrize(
    "outcome_id",
    [
        "karmadep2-response-eot",
        "karmadep2-remission-eot",
        "janik25-madrs-d28-56mg",
        "escape-remission-relapsefree-w32",
        "murrough13-response-24h",
    ],
)
def test_a_figure_read_in_a_secondary_source_cites_that_source_not_a_trial(catalog: Catalog, outcome_id: str) -> None:
    found, sources = catalog.frame("outcomes"), catalog.frame("sources")
    assert found is not None
    assert sources is not None
    row = found.set_index("outcome_id").loc[outcome_id]
    kind = sources.set_index("source_id").loc[row["source_id"], "kind"]
    assert kind in ("secondary summary", "review", "news"), (row["source_id"], kind)
    assert str(row["study_id"]) != ""


def test_the_kind_of_evidence_facet_offers_study_kinds_in_declared_order(catalog: Catalog) -> None:
    facet = OUTCOMES_PAGE.param("design")
    assert isinstance(facet, Facet)
    assert facet.column == "study_kind"
    prepared = outcomes.prepare(catalog.frames(OUTCOMES_PAGE.tables))
    offered = prepared.options["design"]
    assert offered == [k for k in STUDY_KINDS if k in offered]
    assert "label pool with comparator" not in offered  # outcomes come from trials, analyses and reviews
    chosen = filterset.Values(filterset.defaults(OUTCOMES_PAGE.params) | {"design": ("meta-analysis",)})
    view = outcomes.view(prepared, chosen)
    assert set(view.shown["study_kind"].astype(str)) == {"meta-analysis"}


@pytest.mark.parametrize("page", [OUTCOMES_PAGE, SIDE_EFFECTS_PAGE, OVERVIEW, COMPARE])
def test_pages_that_read_study_kinds_list_the_studies_table(page: PageSpec) -> None:
    assert "studies" in page.tables


def test_without_the_studies_table_no_row_counts_as_randomised() -> None:
    from dashboard.views.common import with_studies
    from dashboard.views.evidence import randomised

    rows = pd.DataFrame({"study_id": ["transform-2"], "source_kind": ["trial"]})
    assert not randomised(with_studies(rows, None)).any()
