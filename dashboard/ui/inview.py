"""A page's charts are drawn once the reader scrolls to them, not on the page's first view.

plotly is the heaviest thing a page loads and runs: on a desktop, loading its code and drawing one chart
hold the browser's main thread for 0.7-1.0 s of long tasks (docs/performance.md, section 7b). Every chart
page opens with its filters on the first screen and its chart below them, so a visitor who reads the top
of the page and leaves would pay for a chart they never saw.

Until the reader scrolls to a page's first chart, each chart's place holds a block of the chart's own
height (so nothing below it moves when the chart arrives). A small script in that block, an
IntersectionObserver, tells the server once the block has stayed in view for ``DWELL_MS``. From then on
the page draws its charts on every run, for the rest of the session. A button in the block does the
same where the script cannot run. The observer has no margin to start a little before the block is in
view: Streamlit's page scrolls inside a container of its own, which clips the block before an observer's
``rootMargin`` applies (and a margin that worked would have to stay under the 120 px by which the
Sources chart misses a desktop's first screen). Streamlit's own form of this, ``st.fragment(lazy=True)``
(streamlit/streamlit#14788), is proposed but not released; when it is, it can replace this module.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

DEFAULT_HEIGHT = 450
"""plotly's own height for a figure that sets none."""
WAITING = "The chart is drawn when you scroll down to it."
DRAW_NOW = "Draw the chart now"

DWELL_MS = 250
"""How long the block must stay in view before the page draws its charts. A reader who scrolls past it,
or leaves for another page just as it comes into view, starts no run: a run sent after a click on a
link to another page would take the reader back to this one (Streamlit runs the page the request names,
and the request names the page the browser still shows)."""

_WATCH_JS = """
export default function ({ parentElement, setStateValue }) {
  const block = parentElement.host ?? parentElement;
  const page = window.location.pathname;
  let timer;
  const watcher = new IntersectionObserver((entries) => {
    clearTimeout(timer);
    if (!entries.some((entry) => entry.isIntersecting)) return;
    timer = setTimeout(() => {
      if (window.location.pathname !== page) return;
      watcher.disconnect();
      setStateValue("seen", true);
    }, DWELL_MS);
  });
  watcher.observe(block);
  return () => {
    clearTimeout(timer);
    watcher.disconnect();
  };
}
""".replace("DWELL_MS", str(DWELL_MS))

_watch = st.components.v2.component("ketamine_dashboard.chart_seen", html="<div></div>", js=_WATCH_JS)


def flag(page: str) -> str:
    """The session's note that the reader has scrolled to one of ``page``'s charts."""
    return f"charts-seen:{page}"


def drawn(page: str, *, key: str, height: int | None) -> bool:
    """True once the page's charts may be drawn. Until then, hold the chart's place with a block of its
    ``height`` that watches for the reader, and return False."""
    if st.session_state.get(flag(page)):
        return True
    seen = partial(_seen, flag(page))
    with st.container(height=height or DEFAULT_HEIGHT, border=False, key=f"{key}:waiting"):
        _watch(key=f"{key}:seen", on_seen_change=seen)
        st.caption(WAITING)
        st.button(DRAW_NOW, key=f"{key}:draw", on_click=seen, icon=":material/bar_chart:")
    return False


def _seen(name: str) -> None:
    st.session_state[name] = True
