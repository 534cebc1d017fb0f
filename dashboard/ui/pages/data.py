"""Data: each table's status and schema, a template to download, and (outside public mode) an upload preview."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.catalog import HISTORY, Catalog, TableState, check_bytes
from dashboard.describe import column_rows
from dashboard.export import to_csv_bytes
from dashboard.pagespecs import DATA
from dashboard.problems import Problem
from dashboard.schema import BY_NAME, TABLES, TableSpec
from dashboard.ui import resources, tables
from dashboard.views import status
from dashboard.views.common import pick
from dashboard.views.status import table_rows

MAX_PROBLEMS_SHOWN = 500
INTRO = "The tables behind every page, whether each is valid, and the schema an analyst's CSV must follow."
UPLOAD = (
    "Upload a file to see whether it would pass. It is checked in memory and never saved: to publish "
    "it, replace the file in the data folder."
)


def render() -> None:
    settings, catalog = resources.settings(), resources.catalog()
    st.title(DATA.h1)
    st.markdown(INTRO)
    st.dataframe(
        table_rows(catalog),
        hide_index=True,
        width="stretch",
        alt="Status of every table.",
        column_config={"rows": st.column_config.NumberColumn("Rows", format="%d")},
    )
    _changes(catalog)
    for spec in TABLES:
        _table(spec, catalog.tables[spec.name], public=settings.public)
    if settings.public:
        return
    _upload_preview(catalog)
    st.caption("Data folder on the server:")
    st.text(str(catalog.folder))


def _changes(catalog: Catalog) -> None:
    """What changed in each table's last versions (kept in memory since the server started)."""
    st.subheader("Recent changes")
    changes = catalog.recent_changes()
    st.caption(
        f"Data version {catalog.version}. Each time a valid new file replaces a table, what changed is listed "
        f"here (the last {HISTORY} versions of each table since the server started); a file with problems is "
        "not a version."
    )
    if not changes:
        st.info("No table has changed since the server started.", icon=":material/history:")
        return
    st.dataframe(status.changes_rows(changes, catalog), hide_index=True, width="stretch", alt="Recent changes.")
    cells = status.changed_cell_rows(changes)
    alt = "Every changed cell: table, row key, column, old and new value."
    tables.table(
        cells,
        None,
        key="data:changes",
        name="changed-cells",
        alt=alt,
        empty="No cell changed (rows were only added or removed).",
    )


def _table(spec: TableSpec, table: TableState, *, public: bool) -> None:
    """A table's problems, schema and template, built only when its expander is opened."""
    section = st.expander(f"{spec.title}: {spec.file}", key=f"data:{spec.name}:details", on_change="rerun")
    if not section.open:
        return
    with section:
        st.text(spec.description)
        if table.problems and not public:
            st.warning(f"{len(table.problems)} problem(s) in the current file:", icon=":material/warning:")
            _problems(table.problems[:MAX_PROBLEMS_SHOWN])
        elif table.problems:
            st.warning(f"The current file has {len(table.problems)} problem(s).", icon=":material/warning:")
        st.dataframe(
            _schema_frame(spec.name),
            hide_index=True,
            width="stretch",
            alt=f"Columns of {spec.file} with type, unit, rule and description.",
        )
        st.download_button(
            "Download a template CSV",
            data=partial(_template, spec, table.frame),
            file_name=f"{spec.name}-template.csv",
            mime="text/csv",
            key=f"data:template:{spec.name}",
            icon=":material/download:",
            on_click="ignore",
        )


@st.cache_resource(show_spinner=False)
def _schema_frame(name: str) -> pd.DataFrame:
    """The schema of a table as rows (it only changes with the code)."""
    return pd.DataFrame(column_rows(BY_NAME[name]))


def _problems(problems: Sequence[Problem]) -> None:
    st.dataframe(
        pd.DataFrame([p.as_dict() for p in problems]),
        hide_index=True,
        width="stretch",
        alt="Problems found: file, line, column, rule, value.",
        column_config={"line": st.column_config.NumberColumn("Line", format="%d")},
    )


def _template(spec: TableSpec, frame: pd.DataFrame | None) -> bytes:
    """The header in schema order, with the first current row as an example when there is one."""
    columns = list(spec.columns)
    example = pick(frame, columns).head(1) if frame is not None else pd.DataFrame(columns=columns)
    return to_csv_bytes(example)


def _upload_preview(catalog: Catalog) -> None:
    st.subheader("Check a CSV before swapping it in")
    st.markdown(UPLOAD)
    name = st.selectbox(
        "Table", [spec.name for spec in TABLES], format_func=lambda n: BY_NAME[n].file, key="data:upload-table"
    )
    upload = st.file_uploader("CSV file", type=["csv"], key="data:upload")
    if upload is None:
        return
    checked = check_bytes(BY_NAME[name], upload.getvalue(), catalog)
    if checked.problems:
        st.error(f"{len(checked.problems)} problem(s): this file would not be served.", icon=":material/error:")
        _problems(checked.problems[:MAX_PROBLEMS_SHOWN])
    elif checked.frame is not None:
        st.success(f"Valid: {len(checked.frame):,} rows would be served.", icon=":material/check_circle:")
        alt = "Preview of the uploaded file."
        tables.table(checked.frame, BY_NAME[name], key="data:preview", name=f"{name}-preview", alt=alt)


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
