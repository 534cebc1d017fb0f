"""A data folder whose text cells carry HTML, script, markdown, formula, bidi and very long payloads.

Every table stays valid (payloads sit only in free-text cells and in an extra column), so the
dashboard serves them: a test then checks that they show up as inert text.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from dashboard.schema import TABLES

MARK = "__xss"
PAYLOADS = (
    f"<script>window.{MARK}=1;alert('script')</script>",
    f"<img src=x onerror=\"window.{MARK}=1;alert('img')\">",
    "javascript:alert('js-text')",
    "[click me](javascript:alert('md-link'))",
    "[evil link](https://evil.example/phish)",
    "![tracker](https://evil.example/pixel.png)",
    '<a href="https://evil.example/a">anchor</a><b onmouseover=alert(1)>bold</b>',
    "**bold** _it_ :red[red] $x^2$ :material/warning: <br> &lt;",
    "\u202eRTL override\u202c, zero\u200bwidth\u200d and \u2066isolate\u2069",
    '=HYPERLINK("https://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "long " + "x" * 1900,
)
FORMULAS = tuple(p for p in PAYLOADS if p[0] in "=+-@")
EXTRA_COLUMN = "<img src=x onerror=\"alert('header')\">"

# Free-text columns (and their length limits) where a payload may go without breaking a rule.
TEXT_COLUMNS = {
    "sources": {"citation": 2000, "no_url_reason": 500},
    "neurotransmitters": {"normal_role": 2000, "ketamine_action": 2000, "time_course": 2000},
    "dosing_regimens": {
        "label": 80,
        "population": 300,
        "frequency": 2000,
        "monitoring": 2000,
        "regulatory_status": 500,
        "notes": 2000,
    },
    "dosing_factors": {"effect_on_treatment": 2000, "guidance": 2000},
    "side_effects": {
        "population": 300,
        "comparator": 200,
        "comparison": 200,
        "onset": 300,
        "resolution": 300,
        "notes": 2000,
    },
    "claims": {"topic": 200, "article_says": 2000, "evidence_says": 2000},
    "outcomes": {
        "study": 100,
        "comparator": 200,
        "definition": 300,
        "timepoint": 100,
        "population": 300,
        "notes": 2000,
    },
}
KEYS = {
    "sources": ("source_id", 0),
    "neurotransmitters": ("entity", 200),
    "dosing_regimens": ("regimen_id", 80),
    "dosing_factors": ("factor", 200),
    "side_effects": ("effect", 300),
    "claims": ("claim_id", 0),
    "outcomes": ("outcome_id", 0),
}


def write_hostile(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    for spec in TABLES:
        path = target / spec.file
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = list(reader.fieldnames or [])
        added = [_hostile_row(spec.name, rows[0], i) for i in range(len(PAYLOADS))]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*header, EXTRA_COLUMN])
            writer.writeheader()
            for i, row in enumerate(rows + added):
                writer.writerow(row | {EXTRA_COLUMN: PAYLOADS[i % len(PAYLOADS)]})
    return target


def _hostile_row(table: str, template: dict[str, str], i: int) -> dict[str, str]:
    row = dict(template)
    for j, (column, limit) in enumerate(TEXT_COLUMNS[table].items()):
        row[column] = PAYLOADS[(i + j) % len(PAYLOADS)][:limit]
    key, limit = KEYS[table]
    if table == "sources":
        row[key] = f"HOSTILE-{i}"
    elif table == "claims":
        row[key] = f"H{i}"
    elif table == "outcomes":
        row[key] = f"hostile-{i}"
    else:
        row[key] = (PAYLOADS[i] if limit >= 200 else PAYLOADS[i][:60]) + f" #{i}"
        row[key] = row[key][-limit:] if len(row[key]) > limit else row[key]
    if table == "neurotransmitters":
        row["leads_to"] = ""
    return row
