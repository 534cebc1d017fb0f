"""The table block's column labels: declared columns explained from the schema wherever they appear."""

from __future__ import annotations

from dashboard.schema import SIDE_EFFECTS, SOURCES
from dashboard.ui.tables import column_config
from dashboard.wording import COLUMNS


def test_a_table_without_one_schema_still_explains_declared_columns() -> None:
    """The Overview's and Compare's tables mix columns of several tables: each declared column keeps
    its own help, and only a column no table declares is called the analyst's."""
    config = column_config(None, ["effect", "incidence_pct", "accessed", "per_100", "my_extra"])
    assert config["effect"]["help"] == SIDE_EFFECTS.columns["effect"].description
    assert config["incidence_pct"]["label"] == "Incidence (%)"
    assert config["accessed"]["type_config"]["type"] == "date"
    assert config["accessed"]["help"] == SOURCES.columns["accessed"].description
    assert config["per_100"]["label"] == COLUMNS["per_100"].title
    assert config["my_extra"]["help"] == "A column added by the data's analyst."
