"""Everyone can use it: axe-core on every page, a phone-width viewport, a keyboard walk, the summary file.

axe-core comes from the npm registry (`make test` installs it into .cache/axe); the tests inject it
into each page and fail on any serious or critical WCAG 2.1 A/AA violation, in public mode.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.pagespecs import PAGES
from tests.browser.conftest import APPOINTMENT, ROOT, Server, wait_ready
from tests.browserkit import PHONE, draw_charts, phone

pytestmark = pytest.mark.browser

AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def public(serve: Callable[..., Server]) -> Server:
    return serve("a11y", {"DASHBOARD_PUBLIC": "1"})


def url(server: Server, path: str) -> str:
    return f"{server.url}/{'' if path == 'overview' else path}"


def load(page: Page, address: str) -> None:
    page.goto(address)
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    wait_ready(page)


def axe_violations(page: Page) -> list[dict[str, object]]:
    assert AXE.is_file(), "run `make test` (it installs axe-core from npm into .cache/axe)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        WCAG,
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_no_serious_or_critical_axe_violations(page: Page, public: Server, path: str) -> None:
    """On the first view (a chart page's charts not yet drawn) and once the reader has scrolled to the
    charts."""
    load(page, url(public, path))
    first_view = axe_violations(page)
    assert first_view == [], json.dumps(first_view, indent=1)
    if draw_charts(page):
        drawn = axe_violations(page)
        assert drawn == [], json.dumps(drawn, indent=1)


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_phone_width_has_no_page_level_horizontal_scroll(browser: Browser, public: Server, path: str) -> None:
    context = phone(browser)
    page = context.new_page()
    load(page, url(public, path))
    draw_charts(page)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]")
    assert max(widths[:2]) <= widths[2] + 1, widths
    for chart in page.locator(".js-plotly-plot").all():
        box = chart.bounding_box()
        assert box is None or box["x"] + box["width"] <= PHONE["width"] + 1
    context.close()


def test_filters_work_at_phone_width(browser: Browser, public: Server) -> None:
    context = phone(browser)
    page = context.new_page()
    load(page, url(public, "side-effects"))
    box = page.get_by_role("combobox", name="Timeframe")
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name=re.compile(r"^long-term")).click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"timeframe=long-term"), timeout=30_000)
    context.close()


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
        return {tag: e.tagName, name: e.getAttribute('aria-label') || e.innerText || '',
                href: e.getAttribute('href') || '', outline: s.outlineStyle + ' ' + s.outlineWidth,
                shadow: s.boxShadow}; }"""
    )


def visible_focus(state: dict[str, str]) -> bool:
    return (not state["outline"].startswith("none") and not state["outline"].endswith(" 0px")) or (
        state["shadow"] not in ("", "none")
    )


def test_keyboard_alone_reaches_navigation_appointment_and_filters(page: Page, public: Server) -> None:
    load(page, url(public, "side-effects"))
    expect(page.get_by_role("link", name="Request an appointment")).to_be_visible()
    # The focus style arrives with the page's first st.html element, whose code Streamlit loads on demand.
    expect(page.get_by_test_id("stHtml").locator("style")).to_be_attached()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached: dict[str, dict[str, str]] = {}
    for _ in range(300):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["href"] == APPOINTMENT:
            reached["appointment"] = state
        elif state["tag"] == "A" and state["name"].strip().endswith("Dosing"):
            reached["navigation"] = state
        elif state["name"] == "Body system":
            reached["filter"] = state
            if len(reached) == 3:
                break
    assert set(reached) == {"navigation", "appointment", "filter"}, reached
    assert all(visible_focus(s) for s in reached.values()), reached
    page.keyboard.type("cardio")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"system=cardiovascular"), timeout=30_000)
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^\d+ of \d+ rows match the filters\.$"))).to_be_visible()


def test_glossary_is_linked_and_explains_the_terms(page: Page, public: Server) -> None:
    load(page, url(public, "mechanisms"))
    page.get_by_role("link", name="What do these terms mean? Open the glossary").click()
    expect(page.locator("h1").first).to_have_text("Glossary", timeout=30_000)
    for term in ("NMDA receptor", "AMPA receptor", "BDNF", "mTOR", "Dissociation"):
        expect(page.get_by_role("heading", name=re.compile(term)).first).to_be_visible()


def test_summary_file_opens_offline_with_the_filtered_rows_only(
    browser: Browser, public: Server, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    load(page, url(public, "side-effects") + "?system=cardiovascular&timeframe=acute")
    caption = page.get_by_text(re.compile(r"^\d+ of \d+ rows match the filters\.$")).inner_text()
    matching = int(caption.split()[0])
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Summary of this view")).click()
    saved = tmp_path / "summary.html"
    download.value.save_as(saved)
    context.close()

    offline = browser.new_context(offline=True)
    requests: list[str] = []
    reader = offline.new_page()
    reader.on(
        "request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None
    )
    reader.goto(saved.as_uri())
    expect(reader.locator("h1")).to_have_text("Ketamine for depression: Side effects")
    expect(reader.get_by_text("Body system: cardiovascular")).to_be_visible()
    expect(reader.get_by_text("Timeframe: acute")).to_be_visible()
    expect(reader.get_by_text(re.compile("not medical advice"))).to_have_count(2)
    expect(reader.get_by_role("link", name=re.compile(r"system=cardiovascular"))).to_be_visible()
    expect(reader.locator(".chart svg.main-svg").first).to_be_attached()
    header = [c.strip() for c in reader.locator("table thead th").all_inner_texts()]
    cells = [row.locator("td").all_inner_texts() for row in reader.locator("table tbody tr").all()]
    assert len(cells) == matching
    column = dict(zip(header, range(len(header)), strict=True))
    assert {"difference_ci", "ratio_ci", "number_needed", "events_per_arm", "evidence"} <= set(column)
    assert {row[column["body_system"]] for row in cells} == {"cardiovascular"}
    assert {row[column["timeframe"]] for row in cells} == {"acute"}
    cited = {row[column["source_id"]] for row in cells}
    listed = set(reader.locator("ol li strong").all_inner_texts())
    assert cited <= listed
    assert requests == []
    offline.close()


@pytest.mark.parametrize("path", ["outcomes", "compare"])
def test_summary_of_findings_cards_stack_on_a_phone_without_sideways_scrolling(
    browser: Browser, public: Server, path: str
) -> None:
    context = phone(browser)
    page = context.new_page()
    load(page, url(public, path))
    heading = page.get_by_role("heading", name="Summary of findings: pooled analyses")
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    cards = page.get_by_text("Pooled comparison", exact=True)
    assert cards.count() >= 2
    lefts = set()
    for card in cards.all():
        box = card.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"] + 1
        lefts.add(round(box["x"]))
    assert len(lefts) == 1  # stacked, one above the other
    wide = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stText]')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.slice(0, 60))"
    )
    assert wide == []
    context.close()
