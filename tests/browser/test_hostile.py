"""Hostile data and hostile URLs in a real browser: payloads render as inert text, downloads are neutralised."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard.pagespecs import PAGES
from tests.browser.conftest import ROOT, Console, Server, open_every_expander, settled_count, wait_ready
from tests.hostile import EXTRA_COLUMN, FORMULAS, MARK, write_hostile

pytestmark = pytest.mark.browser

INJECTED = """() => ({
  flag: window.MARK === undefined ? null : window.MARK,
  images: document.querySelectorAll("img[src='x'], img[src*='evil']").length,
  links: Array.from(document.querySelectorAll("a[href]"))
    .filter(a => /evil|javascript:|data:/i.test(a.getAttribute("href"))).length,
  handlers: document.querySelectorAll("[onerror], [onmouseover], [onclick]").length,
  scripts: Array.from(document.scripts).filter(s => s.text.includes("MARK")).length,
})""".replace("MARK", MARK)
CLEAN = {"flag": None, "images": 0, "links": 0, "handlers": 0, "scripts": 0}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, serve: Callable[..., Server]) -> Server:
    return serve("hostile", data=write_hostile(ROOT / "data", tmp_path_factory.mktemp("hostile-data") / "data"))


def load(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    wait_ready(page)


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_payloads_render_as_inert_text_on_every_page(page: Page, hostile: Server, console: Console, path: str) -> None:
    load(page, f"{hostile.url}/{'' if path == 'overview' else path}")
    for tab in page.get_by_role("tab", name="Chart data as a table").all():
        tab.click()
    open_every_expander(page)
    assert page.evaluate(INJECTED) == CLEAN
    assert not page.get_by_text("Traceback").count()


def test_script_payload_is_shown_as_literal_text(page: Page, hostile: Server) -> None:
    load(page, hostile.url)
    expect(page.get_by_text(f"<script>window.{MARK}=1;alert('script')</script>").first).to_be_visible()
    assert page.evaluate(INJECTED) == CLEAN


def test_hostile_facet_values_are_plain_options(page: Page, hostile: Server) -> None:
    load(page, f"{hostile.url}/side-effects")
    page.get_by_text(re.compile(r"^More filters")).click()  # the population filter waits behind it
    box = page.get_by_role("combobox", name="Population")
    box.click()
    option = page.get_by_role("option", name=re.compile(r"^<img src=x onerror="))
    expect(option.first).to_be_visible()
    option.first.click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"population=%3Cimg"), timeout=30_000)
    wait_ready(page)
    assert page.evaluate(INJECTED) == CLEAN


def test_hostile_query_string_changes_only_the_valid_filters(page: Page, hostile: Server) -> None:
    url = (
        f"{hostile.url}/side-effects?system=cardiovascular&system=%3Cscript%3Ealert(1)%3C/script%3E"
        f"&sort=rate&sort=difference&q=&utm=1&utm=2&junk={'A' * 4000}"
        "&timeframe=javascript:alert(1)&%3Cimg%20src=x%20onerror=alert(1)%3E=1"
    )
    load(page, url)
    expect(page.get_by_test_id("stMultiSelect").filter(has_text="Body system")).to_contain_text("cardiovascular")
    expect(page.get_by_text(re.compile(r"link parameter\(s\) were not recognised"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?system=cardiovascular&sort=difference$"), timeout=30_000)
    assert page.evaluate(INJECTED) == CLEAN


def test_every_csv_download_neutralises_formulas(page: Page, hostile: Server, tmp_path: Path) -> None:
    load(page, f"{hostile.url}/side-effects")
    open_every_expander(page)  # the table of every row, with its download, is built when opened
    buttons = page.get_by_test_id("stDownloadButton").filter(has_text="Download").get_by_role("button")
    tabs = page.get_by_role("tab", name="Chart data as a table").all()
    for tab in tabs:
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
    # Each tab's table (and its download) comes with a rerun of its own: on a busy machine the count
    # of buttons can hold still between two reruns, so wait for every tab's download first.
    expect(buttons.filter(has_text="Download chart data (CSV)")).to_have_count(len(tabs))
    wait_ready(page)
    settled_count(page, "[data-testid='stDownloadButton']")
    total = buttons.count()
    assert total >= 3
    seen: set[str] = set()
    for i in range(total):
        with page.expect_download() as download:
            buttons.nth(i).click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        header, *rows = list(csv.reader(io.StringIO(text)))
        cells = [cell for row in rows for cell in row] + header
        risky = [c for c in cells if c[:1] and c[0] in "=+-@" and not re.fullmatch(r"-?\d+(\.\d+)?", c)]
        assert risky == [], f"download {i} has live formulas"
        seen.update(cells)
    assert {"'" + f for f in FORMULAS} <= seen
    assert EXTRA_COLUMN in seen
