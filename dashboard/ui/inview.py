"""A page's charts are drawn once the reader scrolls near them, not on the page's first view.

plotly is the heaviest thing a page loads and runs: on a desktop, loading its code and drawing one chart
hold the browser's main thread for 0.8-1.0 s of long tasks (docs/performance.md, section 7b). Every chart
page opens with its filters on the first screen and its chart below them, so a visitor who reads the top
of the page and leaves would pay for a chart they never saw.

Until the reader comes near a page's first chart, each chart's place holds a block of the chart's own
height (so nothing below it moves when the chart arrives). A small script in that block, an
IntersectionObserver, tells the server once the block is within ``MARGIN_PX`` of the screen. From then
on the page draws its charts on every run, for the rest of the session. A button in the block does the
same where the script cannot run. Streamlit's own form of this, ``st.fragment(lazy=True)``
(streamlit/streamlit#14788), is proposed but not released; when it is, it can replace this module.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

MARGIN_PX = 200
"""How far below the screen a chart's block starts the drawing: the server's run and the draw take a
moment, so the chart is under way before it scrolls into sight."""
DEFAULT_HEIGHT = 450
"""plotly's own height for a figure that sets none."""
WAITING = "The chart is drawn when you scroll down to it."
DRAW_NOW = "Draw the chart now"

_WATCH_JS = """
export default function ({ parentElement, setStateValue }) {
  const block = parentElement.host ?? parentElement;
  const watcher = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      watcher.disconnect();
      setStateValue("near", true);
    }
  }, { rootMargin: "MARGIN_PXpx 0px" });
  watcher.observe(block);
  return () => watcher.disconnect();
}
""".replace("MARGIN_PX", str(MARGIN_PX))

_watch = st.components.v2.component("ketamine_dashboard.chart_near", html="<div></div>", js=_WATCH_JS)


def flag(page: str) -> str:
    """The session's note that the reader came near one of ``page``'s charts."""
    return f"charts-near:{page}"


def drawn(page: str, *, key: str, height: int | None) -> bool:
    """True once the page's charts may be drawn. Until then, hold the chart's place with a block of its
    ``height`` that watches for the reader, and return False."""
    if st.session_state.get(flag(page)):
        return True
    near = partial(_near, flag(page))
    with st.container(height=height or DEFAULT_HEIGHT, border=False, key=f"{key}:waiting"):
        _watch(key=f"{key}:near", on_near_change=near)
        st.caption(WAITING)
        st.button(DRAW_NOW, key=f"{key}:draw", on_click=near, icon=":material/bar_chart:")
    return False


def _near(name: str) -> None:
    st.session_state[name] = True
