"""Sessions on different pages at the same moment each get their own page's banner.

The navigation holds no state between runs, so the page a run builds never borrows another
session's pages: here many visitors speak Streamlit's websocket protocol at once, half on a page
whose table is broken and half on a page that does not read that table.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.protocol import Run, Visitor
from tests.browser.conftest import Server

pytestmark = pytest.mark.browser

BANNER = "The dosing factors table"


async def visit(server: Server, page: str, runs: int) -> list[Run]:
    async with Visitor(server.url, page=page, timeout=60) as visitor:
        return [await visitor.run(f"q=run{i}") for i in range(runs)]


async def crowd(server: Server, pages: list[str], runs: int) -> list[list[Run]]:
    return await asyncio.gather(*(visit(server, page, runs) for page in pages))


def test_two_pages_at_once_each_show_their_own_banner(serve: Callable[..., Server]) -> None:
    server = serve("concurrent")
    assert server.data is not None
    factors = server.data / "dosing_factors.csv"
    factors.write_bytes(factors.read_bytes() + b"broken row without enough fields\n")
    pages = ["dosing", "mechanisms"] * 6
    # Playwright's sync API may hold this thread's event loop: the crowd gets a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, crowd(server, pages, runs=4)).result()
    for page, runs in zip(pages, results, strict=True):
        for run in runs:
            assert run.ok, run.error
            shown = [a for a in run.alerts if a.startswith(BANNER) and "problem(s)" in a]
            if page == "dosing":
                assert len(shown) == 1, (page, run.alerts)
            else:
                assert shown == [], (page, run.alerts)
