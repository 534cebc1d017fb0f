"""The benchmark's report: tables and targets, printed as they come and written as one Markdown file."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import psutil
import streamlit


@dataclass
class Report:
    command: str
    """How the run was started, e.g. ``python -m bench.run --quick`` (written in the file's first lines)."""
    out: Path
    sections: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def table(self, title: str, note: str, header: list[str], rows: Sequence[Sequence[object]]) -> None:
        lines = [f"## {title}", "", note, "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
        self.sections.append("\n".join(lines) + "\n")
        print("\n".join(lines), flush=True)

    def target(self, name: str, measured: str, limit: str, met: bool) -> None:
        self.targets.append((name, measured, limit, met))
        print(f"TARGET {'met' if met else 'NOT MET'}: {name}: {measured} (limit {limit})", flush=True)

    def write(self, seconds: float) -> None:
        head = [
            "# Performance",
            "",
            f"Written by `make bench` (`{self.command}`) on "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {seconds / 60:.1f} minutes. Re-run it to regenerate this file.",
            "",
            f"Machine: {os.cpu_count()} cores ({_cpu()}), {psutil.virtual_memory().total / 2**30:.0f} GiB memory, "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}, Streamlit "
            f"{streamlit.__version__}, pandas {pd.__version__}. The load driver runs on the same machine "
            "and shares its two cores with the servers.",
            "",
            "Visitors are simulated at the protocol level (`bench/protocol.py`): each opens Streamlit's websocket, "
            "sends `rerun_script` with a page name and a query string, and reads messages until "
            "`script_finished`, as the browser does. A filter change is a rerun with a new query string "
            "(the dashboard takes its filters from the URL whenever the URL changes). Latency is from "
            "sending the request to `script_finished`; bytes are what the server sent for that run.",
            "",
            "The floor is `bench/floor_app.py` (one `st.dataframe` and one plotly chart of the side-effects "
            'table, filtered by a query parameter) with `server.fileWatcherType = "none"` and '
            "`runner.postScriptGC = false`; the naive floor is the same script with Streamlit's defaults. "
            "The dashboard runs with its shipped `.streamlit/config.toml` in public mode.",
            "",
            "## Targets",
            "",
            "| target | measured | limit | met |",
            "| --- | --- | --- | --- |",
            *[f"| {n} | {m} | {lim} | {'yes' if ok else '**no**'} |" for n, m, lim, ok in self.targets],
            "",
        ]
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.out.write_text("\n".join(head) + "\n" + "\n".join(self.sections), encoding="utf-8")
        print(f"wrote {self.out}")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "n/a" if value != value else f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
