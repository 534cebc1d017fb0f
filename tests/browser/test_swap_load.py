"""A folder swapped in while visitors load pages: every page run shows the old set of tables or the
new one, whole, and never an error or a problem banner.

The server serves a link (``python -m dashboard swap``'s layout). Two versions of the data differ
in three tables at once; the swap flips the link between them while a crowd of visitors, speaking
Streamlit's websocket protocol, reruns pages that read those tables. The footer of every run names
the catalog's version, a hash over every table's version: a run that mixed tables of the two sets
would show a third version.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.protocol import Visitor
from dashboard.catalog import load_catalog
from dashboard.swap import swap
from tests.browser.conftest import ROOT, Server

pytestmark = pytest.mark.browser

VERSION = re.compile(r"Data version ([0-9a-f]{12})\.")
PAGES = ["", "side-effects", "sources", "dosing"]
"""The Overview, and pages reading the tables that change (side effects, sources, dosing factors)."""
TROUBLE = ("problem", "unavailable", "could not be", "not available")


@dataclass
class Seen:
    versions: list[str] = field(default_factory=list)
    troubles: list[str] = field(default_factory=list)


async def _run_texts(visitor: Visitor, query: str) -> tuple[list[str], list[str], str]:
    """One run: the text of every markdown element and alert, and an error if the run failed."""
    assert visitor._ws is not None
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = visitor.page
    await visitor._ws.send(message.SerializeToString())
    texts: list[str] = []
    alerts: list[str] = []
    while True:
        forward = ForwardMsg.FromString(await asyncio.wait_for(visitor._ws.recv(), visitor.timeout))
        kind = forward.WhichOneof("type")
        if kind == "delta":
            element = forward.delta.new_element
            which = element.WhichOneof("type")
            if which == "markdown":
                texts.append(element.markdown.body)
            elif which == "alert":
                alerts.append(element.alert.body)
            elif which == "exception":
                return texts, alerts, "exception shown"
        elif kind == "script_finished":
            ok = forward.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
            return texts, alerts, "" if ok else f"script finished with status {forward.script_finished}"


async def visitor(server: Server, page: str, until: float, seen: Seen) -> None:
    async with Visitor(server.url, page=page, timeout=90) as tab:
        i = 0
        while time.monotonic() < until:
            texts, alerts, error = await _run_texts(tab, f"q=&run={i}")
            i += 1
            if error:
                seen.troubles.append(f"{page}: {error}")
            seen.troubles += [f"{page}: {a}" for a in alerts if any(word in a for word in TROUBLE)]
            found = [m.group(1) for t in texts if (m := VERSION.search(t))]
            if len(found) != 1:
                seen.troubles.append(f"{page}: footer versions {found}")
            seen.versions += found


async def crowd(server: Server, until: float, seen: Seen) -> None:
    await asyncio.gather(*(visitor(server, page, until, seen) for page in PAGES * 2))


def edited(folder: Path, file: str, column: str, suffix: str) -> None:
    path = folder / file
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index(column)] += suffix
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_a_folder_swapped_under_load_is_seen_whole_or_not_at_all(serve: Callable[..., Server], tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(ROOT / "data", old)
    shutil.copytree(ROOT / "data", new)
    edited(new, "side_effects.csv", "notes", " Swapped in.")
    edited(new, "sources.csv", "citation", " (swapped)")
    edited(new, "dosing_factors.csv", "guidance", " (swapped)")
    versions = {load_catalog(old).version, load_catalog(new).version}
    assert len(versions) == 2

    link = tmp_path / "live"
    swap(old, link)
    server = serve("swap-load", data=link)
    seen = Seen()
    until = time.monotonic() + 25
    swaps = 0

    def swapper() -> None:
        nonlocal swaps
        time.sleep(3)
        while time.monotonic() < until - 3:
            assert swap(new if swaps % 2 == 0 else old, link).version is not None
            swaps += 1
            time.sleep(0.4)

    flipping = threading.Thread(target=swapper)
    flipping.start()
    # Playwright's sync API may hold this thread's event loop: the crowd gets a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, crowd(server, until, seen)).result()
    flipping.join()

    assert swaps >= 5
    assert seen.troubles == []
    assert len(seen.versions) >= 30
    assert set(seen.versions) == versions  # both sets were seen, and nothing in between
