"""A CSV replaced under a running server: the last valid version keeps serving, and the site recovers."""

from __future__ import annotations

import csv
import io
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


def footer_version(page: Page) -> str:
    text = page.get_by_text(re.compile(r"Data version [0-9a-f]{12}\.")).first.inner_text()
    found = re.search(r"Data version ([0-9a-f]{12})\.", text)
    assert found is not None
    return found.group(1)


def test_a_valid_swap_is_announced_listed_with_its_cells_and_versioned(
    page: Page, serve: Callable[..., Server], tmp_path: Path
) -> None:
    server = serve("versions")
    assert server.data is not None
    path = server.data / "dosing_factors.csv"
    original = path.read_bytes()
    page.goto(f"{server.url}/data")
    wait_ready(page)
    before = footer_version(page)
    expect(page.get_by_text("No table has changed since the server started.")).to_be_visible()

    changed = original.replace(b"Work out IV doses from body weight", b"Work out IV doses from weight in kg", 1)
    replace(path, changed)
    page.goto(f"{server.url}/dosing")
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^Data updated at \d\d:\d\d UTC: .*in dosing factors\.$"))).to_be_visible()
    after = footer_version(page)
    assert after != before
    page.get_by_role("link", name="See what changed on the Data page").click()
    expect(page.locator("h1").first).to_have_text("Data", timeout=30_000)
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^Recent changes$"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the changed cells (CSV)").click()
    saved = tmp_path / "changes.csv"
    download.value.save_as(saved)
    cells = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [(c["table"], c["key"], c["column"]) for c in cells] == [("dosing_factors", "Body weight", "guidance")]
    assert cells[0]["old"].startswith("Work out IV doses from body weight")
    assert cells[0]["new"].startswith("Work out IV doses from weight in kg")

    replace(path, original[: len(original) // 2])
    page.goto(f"{server.url}/data")
    wait_ready(page)
    assert footer_version(page) == after  # a broken file is not a version
    expect(page.get_by_text(re.compile("dosing factors table could not be updated"))).to_be_visible()
