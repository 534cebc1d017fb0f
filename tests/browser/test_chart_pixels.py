"""Every chart as it is seen: each drawn trace's colour is on the screen, and so is its legend swatch,
no text of it (title, row label, axis title, legend) runs past the chart's edges or lies under plotly's
tool bar (always shown on a phone), no row label or panel heading lies over a bar or marker, and no
marker is cut at its plot's edge.

The figures' data can be right while the picture is wrong (a white hatch replacing a bar's fill drew
the comparator's bars white on white). This reads each plotly chart's traces from the page, takes a
screenshot of the chart, and looks for every trace's colour among its pixels, at a desktop width and
at a 390 px phone width, on every page that draws a chart.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import Server, wait_ready
from tests.browserkit import Console, draw_charts, watched_page

pytestmark = pytest.mark.browser

CHART_PAGES = (
    *("?article=infusion+time", "?article=IV+dose", "mechanisms", "mechanisms?chart=entity+by+entity"),
    *("dosing", "dosing?chart=time+to+give", "side-effects", "side-effects?chart=differences"),
    *("outcomes", "outcomes?chart=score+changes", "sources"),
    "side-effects?q=blood+pressure",
)
"""Every chart of the app: each page draws one at a time, the others from its link; and a chart of
a few rows, where plotly stretches each row to fill the plot and the bars grow thicker."""
WIDTHS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
TOLERANCE = 24
"""Largest difference in any channel (0-255) between a pixel and the colour it should show:
room for antialiased edges, not enough to mistake one palette colour for another."""
MIN_PIXELS = {"trace": 8, "swatch": 3}

# Per chart: its box, its drawn traces (name, colours, how many points are drawn), its legend items
# (colours and the swatch's box, relative to the chart's top left corner).
READ_CHARTS = """() => {
  const colours = (value) => (Array.isArray(value) ? value : [value]).filter((c) => typeof c === "string");
  const drawnPoints = (t) => {
    const along = t.type === "bar" ? (t.orientation === "h" ? t.x : t.y) : t.x;
    const across = t.type === "bar" ? [] : t.y || [];
    if (!along) return 0;
    return along.filter((v, i) => v !== null && v !== undefined && Number.isFinite(+v) &&
      (t.type !== "bar" || +v !== 0) && (t.type === "bar" || across[i] !== null)).length;
  };
  const traceColours = (t) => {
    if (t.type === "sankey") return [...colours(t.node.color), ...colours(t.link.color)];
    if (t.type === "bar") return colours(t.marker.color);
    const out = [];
    if ((t.mode || "").includes("markers")) out.push(...colours(t.marker.color));
    if ((t.mode || "").includes("lines")) out.push(...colours(t.line.color));
    return out;
  };
  return [...document.querySelectorAll(".js-plotly-plot")].map((gd) => {
    const box = gd.getBoundingClientRect();
    const traces = (gd._fullData || []).filter((t) => t.visible === true).map((t) => ({
      name: String(t.name || t.type), type: t.type, opacity: t.opacity ?? 1,
      colours: traceColours(t), points: t.type === "sankey" ? 1 : drawnPoints(t),
    }));
    const legend = [...gd.querySelectorAll(".legend .traces")].map((item) => {
      const t = item.__data__[0].trace;
      const swatch = item.querySelector(".legendpoints").getBoundingClientRect();
      return {
        name: String(t.name), type: t.type, opacity: t.opacity ?? 1, colours: traceColours(t),
        box: [swatch.left - box.left, swatch.top - box.top, swatch.right - box.left, swatch.bottom - box.top],
      };
    });
    const cut = [...gd.querySelectorAll(".main-svg text")]
      .filter((t) => t.textContent.trim() && !t.closest(".hoverlayer") && t.getClientRects().length)
      .map((t) => ({text: t.textContent.trim(), r: t.getBoundingClientRect()}))
      .filter(({r}) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 ||
        r.top < box.top - 1 || r.bottom > box.bottom + 1))
      .map(({text, r}) => `${text} (x ${Math.round(r.left - box.left)} to ${Math.round(r.right - box.left)}, ` +
        `y ${Math.round(r.top - box.top)} to ${Math.round(r.bottom - box.top)} px of ${Math.round(box.width)} ` +
        `by ${Math.round(box.height)})`);
    const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const marks = [...gd.querySelectorAll(".point path, path.point")].map((p) => p.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0);
    const covering = [...gd.querySelectorAll(".annotation-text-g text")]
      .filter((t) => t.textContent.trim() && t.getClientRects().length)
      .filter((t) => [...t.getClientRects()].some((r) => marks.some((m) => overlap(r, m))))
      .map((t) => t.textContent.trim());
    // plotly's tool bar: always shown on a touch screen, on hover elsewhere, over whatever lies beneath
    const tools = gd.querySelector(".modebar")?.getBoundingClientRect();
    const underTools = !tools ? [] : [...gd.querySelectorAll(".main-svg text")]
      .filter((t) => t.textContent.trim() && !t.closest(".hoverlayer") && t.getClientRects().length)
      .filter((t) => [...t.getClientRects()].some((r) => overlap(r, tools)))
      .map((t) => t.textContent.trim());
    // a marker that its plot area clips (a dose of 0.1 on an axis from 0 showed half a diamond)
    const clipped = [...gd.querySelectorAll(".scatterlayer .trace")].flatMap((g) => {
      const t = g.__data__?.[0]?.trace;
      const plot = t && t.cliponaxis !== false && gd._fullLayout._plots?.[(t.xaxis || "x") + (t.yaxis || "y")];
      if (!plot) return [];
      const left = box.left + plot.xaxis._offset, top = box.top + plot.yaxis._offset;
      const right = left + plot.xaxis._length, bottom = top + plot.yaxis._length;
      return [...g.querySelectorAll("path.point")].map((p) => p.getBoundingClientRect())
        .filter((r) => r.width > 0 &&
          (r.left < left - 1 || r.right > right + 1 || r.top < top - 1 || r.bottom > bottom + 1))
        .map(() => String(t.name || t.type));
    });
    return {title: gd._fullLayout?.title?.text || "", width: box.width, height: box.height, traces, legend, cut,
      covering, underTools, clipped: [...new Set(clipped)]};
  });
}"""

DRAWN = """() => [...document.querySelectorAll(".js-plotly-plot")].every((gd) =>
  gd._fullLayout && gd.querySelector(".main-svg") && gd.getBoundingClientRect().height > 0)"""


def rgb(colour: str, alpha: float = 1.0) -> tuple[int, int, int]:
    """A CSS colour ("#rrggbb", "rgb(...)", "rgba(...)") as drawn on white at ``alpha``."""
    if colour.startswith("#") and len(colour) == 7:
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        found = re.fullmatch(r"rgba?\(([^)]*)\)", colour.replace(" ", ""))
        assert found, f"a colour this test cannot read: {colour}"
        parts = [float(p) for p in found.group(1).split(",")]
        channels = [int(p) for p in parts[:3]]
        alpha *= parts[3] if len(parts) == 4 else 1.0
    return tuple(round(alpha * c + (1 - alpha) * 255) for c in channels)  # type: ignore[return-value]


def pixels_of(image: np.ndarray, colour: tuple[int, int, int]) -> int:
    """How many pixels of ``image`` (H x W x 3) show ``colour``, within TOLERANCE."""
    return int((np.abs(image.astype(np.int16) - np.array(colour, dtype=np.int16)).max(axis=2) <= TOLERANCE).sum())


def missing(image: np.ndarray, colours: list[str], opacity: float, least: int) -> list[str]:
    return [c for c in dict.fromkeys(colours) if pixels_of(image, rgb(c, opacity)) < least]


def steady_screenshot(chart: Locator) -> np.ndarray:
    """The chart's pixels once two screenshots agree (plotly's Sankey fades its links in)."""
    shot = chart.screenshot(animations="disabled")
    for _ in range(10):
        again = chart.screenshot(animations="disabled")
        if again == shot:
            break
        shot = again
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"))


@pytest.fixture(params=list(WIDTHS), scope="module")
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sized_page(browser: Browser, width: str) -> Iterator[Page]:
    with watched_page(browser, Console()) as opened:
        opened.set_viewport_size(WIDTHS[width])  # type: ignore[arg-type]
        yield opened


@pytest.mark.parametrize("path", CHART_PAGES, ids=lambda p: p or "overview")
def test_every_chart_shows_each_trace_and_swatch_with_no_text_or_marker_covered_or_cut(
    sized_page: Page, server: Server, width: str, path: str
) -> None:
    page = sized_page
    page.goto(f"{server.url}/{path}")
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    wait_ready(page)
    draw_charts(page)
    page.wait_for_function(DRAWN)
    charts = page.evaluate(READ_CHARTS)
    plots = page.locator(".js-plotly-plot")
    shown = [i for i, chart in enumerate(charts) if chart["height"] > 0 and chart["traces"]]
    assert shown, f"no chart drawn on /{path}"
    # Chromium leaves what lies outside the viewport unpainted in a screenshot: make the viewport as
    # tall as the tallest chart (the width, and so the layout, stays as it was).
    tallest = max(charts[i]["height"] for i in shown)
    page.set_viewport_size({"width": WIDTHS[width]["width"], "height": max(WIDTHS[width]["height"], int(tallest) + 50)})
    problems: list[str] = []
    for i in shown:
        chart = charts[i]
        problems += [f"{chart['title']!r}: text cut at the chart's edge: {text}" for text in chart["cut"]]
        problems += [f"{chart['title']!r}: a label lies over a bar or marker: {text}" for text in chart["covering"]]
        problems += [f"{chart['title']!r}: text under plotly's tool bar: {text}" for text in chart["underTools"]]
        problems += [f"{chart['title']!r}: a marker of {name!r} is cut at the plot's edge" for name in chart["clipped"]]
        image = steady_screenshot(plots.nth(i))
        for trace in chart["traces"]:
            if trace["points"] == 0:
                continue  # nothing of it is drawn (a legend key, a filtered-out group)
            lost = missing(image, trace["colours"], trace["opacity"], MIN_PIXELS["trace"])
            if lost:
                problems.append(f"{chart['title']!r}: trace {trace['name']!r} ({trace['type']}) shows no {lost}")
        for item in chart["legend"]:
            left, top, right, bottom = (round(v) for v in item["box"])
            swatch = image[max(top - 1, 0) : bottom + 1, max(left - 1, 0) : right + 1]
            lost = missing(swatch, item["colours"], item["opacity"], MIN_PIXELS["swatch"])
            if lost:
                problems.append(f"{chart['title']!r}: legend swatch {item['name']!r} shows no {lost}")
    assert problems == [], "\n".join(problems)
