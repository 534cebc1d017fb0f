"""The schema is the single source of truth: the shipped datapackage.json and README derive from it."""

from __future__ import annotations

import ast
import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.columns import max_length_check, unique_together
from dashboard.describe import column_rows, datapackage_json, markdown, update_readme
from dashboard.schema import TABLES

ROOT = Path(__file__).resolve().parents[2]


def test_datapackage_json_is_generated_from_the_schema() -> None:
    shipped = (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
    assert shipped == datapackage_json(), "run `make docs` after changing dashboard/schema.py"


def test_readme_schema_section_is_generated_from_the_schema() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert update_readme(readme) == readme, "run `make docs` after changing the schema or the pages"
    assert markdown() in readme


def test_every_column_is_described() -> None:
    for spec in TABLES:
        assert spec.description
        assert spec.title
        for row in column_rows(spec):
            assert row["description"].endswith("."), (spec.name, row["column"])


def test_shipped_headers_follow_the_schema_order() -> None:
    for spec in TABLES:
        with (ROOT / "data" / spec.file).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == list(spec.columns), spec.file


def test_only_the_ui_imports_streamlit() -> None:
    for path in (ROOT / "dashboard").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "dashboard").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not any(name.split(".")[0] == "streamlit" for name in names), path


def test_readme_lists_every_page_and_link_parameter() -> None:
    from dashboard.describe import pages_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert pages_markdown() in readme, "paste dashboard.describe.pages_markdown() into README.md"


@pytest.mark.parametrize(
    ("rows", "flagged"),
    [
        ([("a", "x", "p"), ("a", "y", "p"), ("b", "x", "p")], []),
        ([("a", "x", "p"), ("a", "x", "p")], [1]),
        ([("a", "x", None), ("a", "x", None), ("a", "x", "p")], []),  # an empty cell equals nothing
        ([(None, "x", "p"), ("", "x", "p"), (None, "x", "p")], []),
        ([("ab", "x", "p"), ("a", "x", "p"), ("b", "x", "p"), ("ab", "y", "p"), ("ab", "x", "p")], [4]),
    ],
)
def test_compound_key_flags_later_copies_only(rows: list[tuple[str | None, ...]], flagged: list[int]) -> None:
    frame = pd.DataFrame(rows, columns=["text", "choice", "label"]).astype({"text": "str"})
    frame["choice"] = frame["choice"].astype("category")
    frame["label"] = frame["label"].astype("category")
    check = unique_together(["text", "choice", "label"])
    holds = check._check_fn(frame)
    assert list(np.flatnonzero(~holds.to_numpy())) == flagged


def test_a_claim_links_only_to_a_page_the_dashboard_has(tmp_path: Path) -> None:
    """The claims table's page column refers to the one page list (there is no second list)."""
    from dashboard.catalog import load_catalog
    from dashboard.pagespecs import PATHS

    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    claims = pd.read_csv(folder / "claims.csv", dtype=str, keep_default_na=False)
    claims.loc[0, "page"] = "nowhere"
    claims.loc[1, "page"] = "outcomes"  # every page of the one list may be named
    claims.to_csv(folder / "claims.csv", index=False)
    problems = load_catalog(folder).tables["claims"].problems
    assert [(p.line, p.column, p.message, p.value) for p in problems] == [
        (2, "page", "not found in the dashboard's pages", "nowhere")
    ]
    assert "outcomes" in PATHS


def test_text_length_is_counted_in_characters_not_bytes() -> None:
    check = max_length_check(300)
    cells = pd.Series(["é" * 300, "x" * 300, None, "short"], dtype="str")
    assert check(pd.DataFrame({"c": cells})["c"]).check_passed  # 600 bytes, but 300 characters
    too_long = pd.Series(["é" * 301, "ok", "x" * 301, None], dtype="str")
    result = check(too_long)
    assert not result.check_passed
    assert result.check_output.tolist() == [False, True, False]  # the empty cell is not checked
