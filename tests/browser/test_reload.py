"""A CSV replaced under a running server: the last valid version keeps serving, and the site recovers."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, wait_ready

pytestmark = pytest.mark.browser

BANNER = "The side effects table could not be updated"


@pytest.fixture(scope="module")
def live(serve: Callable[..., Server]) -> Server:
    return serve("live")


def replace(path: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: how an analyst should swap a file in."""
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def visit(page: Page, server: Server, query: str = "") -> str:
    page.goto(f"{server.url}/side-effects{query}")
    expect(page.locator("h1").first).to_have_text("Side effects", timeout=30_000)
    wait_ready(page)
    return page.get_by_text(re.compile(r"rows match the filters\.$")).inner_text()


def test_invalid_truncated_or_deleted_file_keeps_the_last_valid_version(page: Page, live: Server) -> None:
    assert live.data is not None
    path = live.data / "side_effects.csv"
    original = path.read_bytes()
    full = visit(page, live)
    assert not page.get_by_text(BANNER).count()
    half = original[: original.index(b"\n", len(original) // 2)] + b"\nDizziness,nervous sys"
    breakages = {
        "semicolons": original.replace(b",", b";"),
        "truncated mid-copy": half,
        "binary": bytes(range(256)) * 10,
    }
    for name, data in breakages.items():
        replace(path, data)
        assert visit(page, live) == full, name
        expect(page.get_by_text(BANNER)).to_be_visible()
    path.unlink()
    assert visit(page, live) == full
    expect(page.get_by_text(BANNER)).to_be_visible()

    replace(path, original.replace(b"Dissociation,", b"Dissociation zqxrecovered,", 1))
    assert visit(page, live) == full
    assert not page.get_by_text(BANNER).count()
    assert visit(page, live, "?q=zqxrecovered").startswith("1 of ")
