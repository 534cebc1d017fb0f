"""Data: each table's status and schema, a template to download, and (outside public mode) an upload preview."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.catalog import HISTORY, Catalog, TableState, check_bytes
from dashboard.describe import column_rows, table_for_file, template_frame
from dashboard.export import to_csv_bytes
from dashboard.pagespecs import DATA
from dashboard.problems import Problem
from dashboard.schema import BY_NAME, TABLES, TableSpec
from dashboard.ui import resources, tables
from dashboard.views import status
from dashboard.views.status import table_rows

MAX_PROBLEMS_SHOWN = 500
INTRO = "The tables behind every page, whether each is valid, and the schema an analyst's CSV must follow."
UPLOAD = (
    "Upload a file to see whether it would pass. It is checked in memory and never saved: to publish "
    "it, replace the file in the data folder."
)


def _labelled(helps: dict[str, str]) -> dict[str, Any]:
    """Labels and help for this page's own tables: their columns are not a CSV's, so the schema's
    help (or the note for a column an analyst added) would be wrong here."""
    return {name: st.column_config.Column(name[:1].upper() + name[1:], help=text) for name, text in helps.items()}


def _count(label: str, help_text: str) -> Any:
    return st.column_config.NumberColumn(label, help=help_text, format="%d")


STATUS_CONFIG = _labelled(
    {
        "table": "The table's name on the pages.",
        "file": "The CSV file in the data folder.",
        "version": "The start of the file's fingerprint: it changes whenever the file's content does.",
        "status": "Valid, or what is wrong with the file and what is served instead.",
        "last loaded (UTC)": "When the server last read the file.",
    }
) | {"rows": _count("Rows", "Rows served."), "problems": _count("Problems", "Problems in the current file.")}
CHANGE_CONFIG = _labelled(
    {
        "when (UTC)": "When the new file was swapped in.",
        "table": "The table that changed.",
        "from version": "The version served before.",
        "to version": "The version served after.",
        "what changed": "The change in words.",
    }
) | {
    "rows added": _count("Rows added", "Rows whose key is new."),
    "rows removed": _count("Rows removed", "Rows whose key is gone."),
    "rows changed": _count("Rows changed", "Rows with the same key and at least one changed cell."),
}
CELL_CONFIG = _labelled(
    {
        "when": "When the new file was swapped in.",
        "table": "The table that changed.",
        "version": "The version before and after the change.",
        "key": "The row's key.",
        "column": "The column of the changed cell.",
        "old": "The cell before.",
        "new": "The cell after.",
    }
)
SCHEMA_CONFIG = _labelled(
    {
        "column": "The column's name in the CSV header.",
        "type": "What the column holds.",
        "unit": "The unit of its numbers.",
        "rule": "What a cell must be for the file to be valid.",
        "presence": "Whether the header must have the column.",
        "description": "What the column means.",
    }
)
PROBLEM_CONFIG = _labelled(
    {
        "file": "The file with the problem.",
        "column": "The column of the cell; empty for a problem that belongs to no single column.",
        "message": "What is wrong.",
        "value": "The cell as found, on one line and shortened.",
    }
) | {"line": _count("Line", "The line an editor shows (the header is line 1); empty for the whole file.")}


def render() -> None:
    settings, catalog = resources.settings(), resources.catalog()
    st.title(DATA.h1)
    st.markdown(INTRO)
    tables.table(
        table_rows(catalog),
        None,
        key="data:status",
        name="table-status",
        alt="Status of every table.",
        config=STATUS_CONFIG,
        download_label="Download the status (CSV)",
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
    tables.table(
        status.changes_rows(changes, catalog),
        None,
        key="data:versions",
        name="recent-changes",
        alt="Recent changes.",
        config=CHANGE_CONFIG,
        download_label="Download the list of changes (CSV)",
    )
    cells = status.changed_cell_rows(changes)
    alt = "Every changed cell: table, row key, column, old and new value."
    tables.table(
        cells,
        None,
        key="data:changes",
        name="changed-cells",
        alt=alt,
        config=CELL_CONFIG,
        empty="No cell changed (rows were only added or removed).",
        download_label="Download the changed cells (CSV)",
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
            _problems(table.problems, key=f"data:{spec.name}:problems", name=f"{spec.name}-problems")
        elif table.problems:
            st.warning(f"The current file has {len(table.problems)} problem(s).", icon=":material/warning:")
        if table.notes and not public:
            st.info(f"{len(table.notes)} warning(s) about the current file (it is served):", icon=":material/info:")
            _problems(table.notes, key=f"data:{spec.name}:notes", name=f"{spec.name}-warnings")
        tables.table(
            _schema_frame(spec.name),
            None,
            key=f"data:{spec.name}:schema",
            name=f"{spec.name}-columns",
            alt=f"Columns of {spec.file} with type, unit, rule and description.",
            config=SCHEMA_CONFIG,
            download_label="Download the column list (CSV)",
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


def _problems(problems: Sequence[Problem], *, key: str, name: str) -> None:
    """The first problems on screen; the download lists every one, however many a file has."""
    tables.table(
        _problem_rows(problems[:MAX_PROBLEMS_SHOWN]),
        None,
        key=key,
        name=name,
        alt="Problems found: file, line, column, rule, value.",
        config=PROBLEM_CONFIG,
        total=len(problems),
        rows=partial(_problem_rows, problems),
        download_label="Download the problems (CSV)",
    )


def _problem_rows(problems: Sequence[Problem]) -> pd.DataFrame:
    return pd.DataFrame([p.as_dict() for p in problems])


def _template(spec: TableSpec, frame: pd.DataFrame | None) -> bytes:
    """The header in schema order, with the first current row as an example when there is one."""
    return to_csv_bytes(template_frame(spec, frame))


def _upload_preview(catalog: Catalog) -> None:
    st.subheader("Check a CSV before swapping it in")
    st.markdown(UPLOAD)
    upload = st.file_uploader("CSV file", type=["csv"], key="data:upload")
    found = None if upload is None else table_for_file(upload.name)
    if found is not None:
        name = found.name
        st.caption(f"Checked as {found.file}, the table its file name names.")
    else:
        name = st.selectbox(
            "Table", [spec.name for spec in TABLES], format_func=lambda n: BY_NAME[n].file, key="data:upload-table"
        )
    if upload is None:
        return
    checked = check_bytes(BY_NAME[name], upload.getvalue(), catalog)
    if checked.problems:
        st.error(f"{len(checked.problems)} problem(s): this file would not be served.", icon=":material/error:")
        _problems(checked.problems, key="data:upload:problems", name=f"{name}-upload-problems")
    elif checked.frame is not None:
        st.success(f"Valid: {len(checked.frame):,} rows would be served.", icon=":material/check_circle:")
    if checked.notes:
        st.info(f"{len(checked.notes)} warning(s):", icon=":material/info:")
        _problems(checked.notes, key="data:upload:notes", name=f"{name}-upload-warnings")
    if not checked.problems and checked.frame is not None:
        alt = "Preview of the uploaded file."
        tables.table(checked.frame, BY_NAME[name], key="data:preview", name=f"{name}-preview", alt=alt)


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
