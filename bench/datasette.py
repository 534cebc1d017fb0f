"""Datasette beside the dashboard: the same generated rows in SQLite, served read-only on loopback.

Datasette and sqlite-utils live in their own virtualenv (``make bench-tools`` builds it from
bench/requirements-datasette.txt); nothing here is a dependency of the app. The table is loaded
with sqlite-utils with the schema's column types, an index on every facet column and on the sort
column, and FTS5 over the columns the dashboard searches.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench import servers
from bench.distinct import FACETS, SEARCH, TABLE
from dashboard.schema import SIDE_EFFECTS

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".cache" / "bench-datasette"
DATABASE = "bench"
SETTINGS = {
    "sql_time_limit_ms": "600000",  # no query is cut short: every request does the whole work
    "facet_time_limit_ms": "600000",  # every facet is counted (the default 200 ms gives up on large tables)
    "suggest_facets": "off",  # no extra queries looking for more facets to suggest
    "max_returned_rows": "1000",  # as many rows as the dashboard shows
}
NUMBER_TYPES = {"float64": "float", "Int64": "integer"}


def tool(name: str) -> Path:
    path = VENV / "bin" / name
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `make bench-tools` (Datasette's own virtualenv)")
    return path


VERSIONS = (
    "import sqlite3, datasette.version, importlib.metadata as m; "
    'print(f\'Datasette {datasette.version.__version__}, sqlite-utils {m.version("sqlite-utils")}, '
    "SQLite {sqlite3.sqlite_version}')"
)


def versions() -> str:
    """What serves the comparison, e.g. ``Datasette 0.65.5, sqlite-utils 4.2.1, SQLite 3.40.1``."""
    out = subprocess.run([str(tool("python")), "-c", VERSIONS], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def build(csv: Path) -> tuple[Path, float]:
    """SQLite database next to ``csv`` (reused when present) and the seconds its build took."""
    db = csv.with_name(f"{DATABASE}.db")
    stamp = csv.with_name(f"{DATABASE}.db.json")
    if stamp.exists() and db.exists() and json.loads(stamp.read_text())["csv_mtime"] == csv.stat().st_mtime:
        return db, float(json.loads(stamp.read_text())["seconds"])
    db.unlink(missing_ok=True)
    sqlite_utils = str(tool("sqlite-utils"))
    types = [
        arg
        for name, column in SIDE_EFFECTS.columns.items()
        if str(column.dtype) in NUMBER_TYPES
        for arg in ("--type", name, NUMBER_TYPES[str(column.dtype)])
    ]
    started = time.perf_counter()
    steps = [
        [
            sqlite_utils,
            "insert",
            str(db),
            TABLE,
            str(csv),
            "--csv",
            "--no-detect-types",
            "--empty-null",
            "--silent",
            *types,
        ],
        *[[sqlite_utils, "create-index", str(db), TABLE, p.column] for p in FACETS],
        [sqlite_utils, "create-index", str(db), TABLE, "incidence_pct"],
        [sqlite_utils, "enable-fts", str(db), TABLE, *SEARCH.columns, "--fts5"],
        [sqlite_utils, "analyze", str(db)],
        [sqlite_utils, "vacuum", str(db)],
    ]
    for step in steps:
        subprocess.run(step, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    stamp.write_text(json.dumps({"csv_mtime": csv.stat().st_mtime, "seconds": seconds}))
    return db, seconds


def serve(db: Path, name: str = "datasette") -> servers.Server:
    """``datasette serve --immutable`` on a free loopback port."""
    port = servers.free_port()
    settings = [arg for key, value in SETTINGS.items() for arg in ("--setting", key, value)]
    command = [str(tool("datasette")), "serve", "--immutable", str(db), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command + settings,
        env={"PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = servers.Server(name, f"http://127.0.0.1:{port}", process)
    servers.wait_http(f"{server.url}/-/versions.json", process)
    return server


@dataclass
class Answer:
    seconds: float
    bytes: int
    ok: bool
    rows: int = 0
    """How many rows matched (Datasette's filtered count)."""
    error: str = ""


class Client:
    """One keep-alive HTTP connection to a Datasette server, as one browser tab would hold."""

    def __init__(self, url: str, timeout: float = 600) -> None:
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)

    def get(self, path: str) -> Answer:
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
                break
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                # The server closes a keep-alive connection left idle (uvicorn: after 5 s, e.g. while the
                # dashboard worked on the same filter); a browser then sends the request again on a new one.
                stale = isinstance(error, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError)
                if attempt == 2 or not stale:
                    return Answer(time.perf_counter() - started, 0, False, error=repr(error))
        seconds = time.perf_counter() - started
        try:
            data = json.loads(body)
        except ValueError:
            return Answer(seconds, len(body), False, error=f"HTTP {response.status}, not JSON")
        timed_out = data.get("facets_timed_out") or []
        ok = response.status == 200 and not data.get("error") and not timed_out and "facet_results" in data
        problem = "" if ok else f"HTTP {response.status}: {data.get('error') or f'facets timed out: {timed_out}'}"
        return Answer(seconds, len(body), ok, int(data.get("filtered_table_rows_count") or 0), problem)

    def close(self) -> None:
        self.connection.close()
