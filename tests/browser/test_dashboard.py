"""What a person sees in a real browser: pages, navigation, filters in the URL, the appointment link."""

from __future__ import annotations

import re
from contextlib import suppress
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dashboard.pagespecs import BY_PATH, PAGES
from dashboard.ui.inview import WAITING
from tests.browser.conftest import APPOINTMENT, Server, settled_count, wait_ready
from tests.browserkit import draw_charts, phone

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1350, "height": 940}


def open_page(page: Page, server: Server, path: str = "") -> None:
    page.goto(f"{server.url}/{path}")
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    wait_ready(page)


def bar_count(page: Page) -> int:
    """Bars drawn by plotly, once the reader has scrolled to the chart and it has rendered and settled."""
    draw_charts(page)
    return settled_count(page, ".js-plotly-plot .barlayer .point")


def match_count(page: Page) -> str:
    return page.get_by_text(re.compile(r"^\d[\d,]* of \d[\d,]* rows match the filters\.$")).inner_text()


def test_home_page_loads_with_its_title_and_notice(page: Page, server: Server) -> None:
    open_page(page, server)
    expect(page).to_have_title(re.compile("Overview|Ketamine"))
    expect(page.locator("h1").first).to_have_text(BY_PATH["overview"].h1)
    expect(page.get_by_text("not medical advice", exact=False).first).to_be_visible()


def test_every_page_is_reachable_from_the_top_bar_and_no_sidebar_opens(page: Page, server: Server) -> None:
    """On a desktop the navigation is a row of links in the top bar; a sidebar, drawn after the first
    paint, would push the whole page sideways as it opens (a layout shift on every page)."""
    page.set_viewport_size(DESKTOP)
    open_page(page, server)
    nav = page.get_by_test_id("stHeader").get_by_test_id("stTopNav")
    for spec in PAGES:
        expect(nav.get_by_role("link", name=spec.title, exact=True)).to_be_visible()
    for spec in [*PAGES[1:], PAGES[0]]:
        nav.get_by_role("link", name=spec.title, exact=True).click()
        expect(page.locator("h1").first).to_have_text(spec.h1, timeout=30_000)
        expect(page).to_have_url(re.compile(f"/{spec.path if spec is not PAGES[0] else ''}$"))
        wait_ready(page)
        expect(page.get_by_test_id("stSidebar")).to_have_count(0)


def test_every_page_is_reachable_from_the_menu_on_a_phone(browser: Browser, server: Server) -> None:
    """On a phone the same links sit behind the menu button; each opens its page, and the menu
    closes, so the visitor sees the page they chose and not the menu over it."""
    context = phone(browser)
    page = context.new_page()
    open_page(page, server)
    menu = page.get_by_test_id("stSidebar")
    for spec in PAGES[1:]:
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(menu).to_be_in_viewport()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=spec.title, exact=True).click()
        expect(page.locator("h1").first).to_have_text(spec.h1, timeout=30_000)
        expect(page).to_have_url(re.compile(f"/{spec.path}$"))
        wait_ready(page)
        expect(menu).not_to_be_in_viewport()
        expect(page.locator("h1").first).to_be_in_viewport()
    context.close()


SHIFTS = """window.__shift = 0; new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
}).observe({type: 'layout-shift', buffered: true});"""
GOOD_CLS = 0.1
"""Web Vitals' bound for a "good" cumulative layout shift (the floor app scores about 0.15)."""


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_nothing_jumps_while_a_page_first_loads(browser: Browser, server: Server, path: str) -> None:
    """The sum of the layout shifts of a first visit, until the reader has scrolled to its charts and
    they are drawn: a sidebar or a layout that arrives after the first paint, a table or filter that
    grows when its code loads, or a chart taller or shorter than the place held for it, moves what
    the visitor is reading."""
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    page = context.new_page()
    page.add_init_script(SHIFTS)
    open_page(page, server, "" if path == PAGES[0].path else path)
    draw_charts(page)
    page.wait_for_timeout(1000)
    shift = page.evaluate("window.__shift")
    context.close()
    assert shift < GOOD_CLS, f"{path}: layout shift {shift:.3f}"


TOOLS_OVER_TEXT = """() => {
  const tools = [...document.querySelectorAll("[data-testid=stElementToolbar]")]
    .filter((t) => t.getClientRects().length && getComputedStyle(t).opacity !== "0")
    .map((t) => t.getBoundingClientRect());
  const lines = [];
  const walk = document.createTreeWalker(document.querySelector("[data-testid=stMain]"), NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest("[data-testid=stElementToolbar]")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) lines.push([node.textContent.trim().slice(0, 60), box]);
  }
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  return {tools: tools.length, covered: lines.filter(([, box]) => tools.some((t) => hit(t, box))).map(([t]) => t)};
}"""


@pytest.mark.parametrize("path", [spec.path for spec in PAGES if spec.path != "glossary"])  # it has no table
def test_the_tools_of_every_table_leave_the_words_above_it_readable_on_a_phone(
    browser: Browser, server: Server, path: str
) -> None:
    """A touch screen shows each grid's tool bar (search, download, full screen) all the time, just
    above the grid: it covered the end of the heading or label there (Compare's "What there is to
    compare", the Data page's introduction, the label of a table opened on request). Tables opened
    on request are opened too."""
    context = phone(browser)
    page = context.new_page()
    open_page(page, server, "" if path == PAGES[0].path else path)
    on_request = page.get_by_test_id("stExpander").get_by_text("every column, with the download")
    if on_request.count():
        on_request.first.click()
        expect(page.get_by_test_id("stExpander").get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)
        wait_ready(page)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)  # the grid's code loads late
    grids = settled_count(page, "[data-testid=stDataFrame]")
    with suppress(PlaywrightTimeoutError):  # each grid's tool bar fades in once the grid is drawn
        page.wait_for_function(f"() => ({TOOLS_OVER_TEXT})().tools >= {grids}", timeout=30_000)
    page.wait_for_timeout(300)  # and settles where it stays
    found = page.evaluate(TOOLS_OVER_TEXT)
    context.close()
    assert found["tools"] == grids, f"/{path}: {grids} tables, {found['tools']} tool bars shown"
    assert found["covered"] == [], f"/{path}: a table's tool bar lies over {found['covered']}"


def test_a_chart_page_loads_no_chart_code_until_the_reader_scrolls_to_its_chart(
    browser: Browser, server: Server
) -> None:
    """plotly is the heaviest code a page runs. A visitor who reads only the top of a chart page neither
    downloads nor runs it; scrolling down to the chart draws it, in the place held for it."""
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    page = context.new_page()
    open_page(page, server, "side-effects")
    page.wait_for_timeout(1500)  # long enough for a chart to have arrived, had one been sent
    loaded = "() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => /plotly/i.test(n))"
    expect(page.get_by_text(WAITING)).to_have_count(1)  # the first timeframe's chart; the others are on request
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    assert page.evaluate(loaded) == []
    assert draw_charts(page) == 1
    assert page.evaluate(loaded) != []
    expect(page.get_by_text(WAITING)).to_have_count(0)
    context.close()


def test_a_link_to_another_page_clicked_as_a_chart_comes_into_view_lands_on_that_page(
    browser: Browser, server: Server
) -> None:
    """Clicking the glossary link scrolls the mechanisms chart's place into view. A run asked for the
    chart right then would name the page the browser still shows, and take the reader back to it
    (before the watcher waited for the place to stay in view, 12 of 30 such clicks did)."""
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    page = context.new_page()
    for _ in range(5):
        open_page(page, server, "mechanisms")
        page.get_by_role("link", name="What do these terms mean? Open the glossary").click()
        expect(page.locator("h1").first).to_have_text("Glossary", timeout=30_000)
        wait_ready(page)
        page.wait_for_timeout(1500)
        expect(page.locator("h1").first).to_have_text("Glossary")
    context.close()


def test_filter_change_updates_chart_table_and_url_and_the_url_restores_it(page: Page, server: Server) -> None:
    open_page(page, server, "side-effects")
    before = match_count(page)
    bars_before = bar_count(page)
    box = page.get_by_role("combobox", name="Body system")
    box.click()
    box.fill("cardio")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"system=cardiovascular"), timeout=30_000)
    wait_ready(page)
    after = match_count(page)
    assert after != before
    assert int(after.split()[0]) < int(before.split()[0])
    bars_after = bar_count(page)
    assert 0 < bars_after < bars_before
    page.get_by_text("All rows: every column, with the download").click()
    rows = page.get_by_test_id("stDataFrame").last
    expect(rows).to_be_visible(timeout=30_000)

    copied = page.url
    fresh = page.context.new_page()
    fresh.goto(copied)
    expect(fresh.locator("h1").first).to_have_text("Side effects", timeout=30_000)
    wait_ready(fresh)
    assert match_count(fresh) == after
    expect(fresh.get_by_test_id("stMultiSelect").filter(has_text="Body system")).to_contain_text("cardiovascular")
    assert bar_count(fresh) == bars_after
    fresh.close()


def test_appointment_link_has_the_configured_href(page: Page, server: Server) -> None:
    open_page(page, server, "dosing")
    link = page.get_by_role("link", name="Request an appointment")
    expect(link).to_have_attribute("href", APPOINTMENT)


def test_source_link_opens_the_sources_page_on_that_source(page: Page, server: Server) -> None:
    open_page(page, server)
    page.get_by_role("link", name="Source: AND17a").first.click()
    expect(page.locator("h1").first).to_have_text("Sources", timeout=30_000)
    expect(page).to_have_url(re.compile(r"/sources\?source=AND17a$"))
    wait_ready(page)
    expect(page.get_by_text("Selected source")).to_be_visible()


def test_the_measure_and_the_comparisons_live_in_the_url(page: Page, server: Server) -> None:
    pool = "Spravato US label: MDSI short-term pool, esketamine + oral AD vs placebo + oral AD"
    open_page(page, server, f"side-effects?chart=differences&measure=ratio&comparison={quote(pool)}")
    expect(page.get_by_role("radio", name="ratio")).to_be_checked()
    assert draw_charts(page) == 1
    # the axis title wraps to a phone's width: its first line names the ratio
    expect(page.get_by_text(re.compile(r"^Relative risk, drug / comparator")).first).to_be_attached()
    expect(page.get_by_text("95% interval excludes no effect").first).to_be_attached()
    expect(
        page.get_by_text(re.compile(r"^Comparisons shown \(chosen in the Comparison filter\): Spravato US label: MDSI"))
    ).to_be_visible()
    measure = page.get_by_test_id("stRadio").filter(has_text="Compare drug and comparator by")
    measure.get_by_text("difference", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"measure="), timeout=30_000)
    expect(page.get_by_text(re.compile(r"^Difference, drug minus")).first).to_be_attached()
    assert "comparison=" in page.url


def test_outcomes_and_compare_reopen_from_a_copied_link(page: Page, server: Server) -> None:
    open_page(page, server, "outcomes")
    box = page.get_by_role("combobox", name="Outcome")
    box.click()
    box.fill("respon")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"outcome=response"), timeout=30_000)
    wait_ready(page)
    narrowed = page.get_by_text(re.compile(r"outcome rows match the filters\.$")).inner_text()
    fresh = page.context.new_page()
    fresh.goto(page.url)
    wait_ready(fresh)
    expect(fresh.get_by_text(re.compile(r"outcome rows match the filters\.$"))).to_have_text(narrowed)
    assert draw_charts(fresh) > 0

    fresh.goto(f"{server.url}/compare?regimen=esk-trd-induction&regimen=iv-elekt-d")
    wait_ready(fresh)
    expect(fresh.get_by_text("Spravato US, TRD induction, intranasal 56-84 mg", exact=False).first).to_be_visible()
    expect(fresh.get_by_text("ELEKT-D, IV 0.5 mg/kg", exact=False).first).to_be_visible()
    expect(fresh.get_by_text("no data in these tables").first).to_be_visible()
    assert fresh.url.endswith("compare?regimen=esk-trd-induction&regimen=iv-elekt-d")
    fresh.close()
