"""The filter bar: a page's parameters (filters and controls) kept in step with the URL and with
their widgets, each drawn from the description its kind gives (``dashboard.widgets``).

``FilterBar.start(spec, options)`` returns the bar with the page's current values; the panel, the
reset button and the single widgets take the bar as their argument. The bar reads the URL when it
holds something this bar did not write there (a shared link, the back button) and otherwise lets
the widgets win; it then writes its values back to the URL. What it remembers between runs (the
query it wrote, how many link parameters it ignored) is its own, under one session key per page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.elements.lib.mutable_expander_container import ExpanderContainer

from dashboard import filterset
from dashboard.filterset import Values
from dashboard.pagespecs import PageSpec
from dashboard.params import Param
from dashboard.widgets import MultiSelect, NumberBox, Radio, TextBox

FILTER_PANEL = "filters-"
"""Start of the key of every filter panel's container; the page's style sheet (``layout``) names it."""


@dataclass(frozen=True)
class _Memory:
    written: dict[str, list[str]]
    ignored: int
    drawn: set[str]
    """The parameters whose input holds the value to use next run: those whose widget this run drew
    (filled in as they are drawn), and every one after a reset."""


@dataclass(frozen=True)
class FilterBar:
    spec: PageSpec
    params: tuple[Param, ...]
    options: Mapping[str, Sequence[str]]
    values: Values
    ignored: int
    drawn: set[str]

    @classmethod
    def start(
        cls, spec: PageSpec, options: Mapping[str, Sequence[str]], params: Sequence[Param] | None = None
    ) -> FilterBar:
        """Read the URL (or the widgets), keep only offered facet values, and write the URL back.

        ``params`` narrows the page's parameters (a filter of a table that is unavailable)."""
        chosen = tuple(spec.params if params is None else params)
        memory_key = f"{spec.path}:filterbar"
        query = _url_query()
        memory = st.session_state.get(memory_key)
        from_url, ignored = filterset.parse(query, chosen, options)
        last = memory if isinstance(memory, _Memory) and memory.written == query else None
        for param in chosen:
            # a link to follow sets every input; otherwise only those whose widget the last run did
            # not draw (a lazy panel left closed, a control shown for one chart): Streamlit resets
            # their state, and the URL still holds their value
            if last is None or param.key not in last.drawn:
                st.session_state[_key(spec, param)] = param.to_widget(from_url[param.key])
        if last is not None:
            ignored = last.ignored
        values = _current(spec, chosen, options)
        written = filterset.to_query(values, chosen)
        if written != query:
            st.query_params.from_dict(written)
        drawn: set[str] = set()
        st.session_state[memory_key] = _Memory(written, ignored, drawn)
        return cls(spec, chosen, options, values, ignored, drawn)

    def key(self, param: Param) -> str:
        return _key(self.spec, param)


def _key(spec: PageSpec, param: Param) -> str:
    return f"{spec.path}:{param.key}"


def _url_query() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _current(spec: PageSpec, params: Sequence[Param], options: Mapping[str, Sequence[str]]) -> Values:
    """The widgets' values; a facet value no longer offered (the data changed) is dropped."""
    values = {}
    for param in params:
        key = _key(spec, param)
        raw = st.session_state.get(key, param.to_widget(param.default))
        value, dropped = param.parse(param.to_query(param.from_widget(raw)), options.get(param.key, ()))
        if dropped:
            st.session_state[key] = param.to_widget(value)
        values[param.key] = value if dropped else param.from_widget(raw)
    return Values(values)


# --- widgets -----------------------------------------------------------------------------------


def on_request(bar: FilterBar, label: str, params: Sequence[Param], *, key: str) -> ExpanderContainer | None:
    """An expander whose section is built and sent only when it is open (``None`` while closed):
    a section most visitors never read costs their browser nothing. It opens by itself when one of
    ``params`` is in use (a shared link, say), so a link reopens what it shows."""
    box = st.expander(label, expanded=filterset.in_use(params, bar.values) > 0, key=key, on_change="rerun")
    return box if box.open else None


def panel(bar: FilterBar, params: Sequence[Param], counts: Mapping[str, Mapping[str, int]], *, heading: str) -> None:
    """Search boxes across the panel, then multiselects in a grid, each value with the rows it would
    give; the filters past the first row behind "More filters", drawn only when it is open (it
    opens by itself when one of them is in use, from a link say)."""
    split = filterset.panel(params, bar.values)
    first = params[0].key if params else "none"  # a page's panels differ in their first parameter
    with st.container(border=True, key=f"{FILTER_PANEL}{bar.spec.path}-{first}"):
        st.markdown(f"**{heading}**")
        for param in split.across:
            widget(bar, param)
        _grid(bar, split.grid, counts, min(len(split.grid), filterset.FIRST_FILTERS))
        if not split.more:
            return
        more = on_request(bar, split.more_label, split.more, key=f"{bar.spec.path}:{first}:more")
        if more is not None:
            with more:
                _grid(bar, split.more, counts, filterset.FIRST_FILTERS)


def _grid(bar: FilterBar, params: Sequence[Param], counts: Mapping[str, Mapping[str, int]], width: int) -> None:
    columns = st.columns(width) if params else []
    for i, param in enumerate(params):
        with columns[i % len(columns)]:
            widget(bar, param, counts.get(param.key, {}))


def widget(
    bar: FilterBar, param: Param, counts: Mapping[str, int] | None = None, names: Mapping[str, str] | None = None
) -> None:
    """Draw the input of one parameter (its kind describes which). A multi-select shows each value's
    ``counts`` when given, and its ``names`` (the value itself otherwise)."""
    bar.drawn.add(param.key)
    param.widget().draw(_Streamlit(bar.key(param), bar.options.get(param.key, ()), _Shown(counts, names or {})))


@dataclass(frozen=True)
class _Shown:
    counts: Mapping[str, int] | None
    names: Mapping[str, str]

    def __call__(self, value: str) -> str:
        name = self.names.get(value, value)
        return name if self.counts is None else f"{name} ({self.counts.get(value, 0)})"


@dataclass(frozen=True)
class _Streamlit:
    """Draws one parameter's input (a ``dashboard.widgets.Drawer``) under the parameter's session key;
    a multi-select offers ``options``, each as ``shown`` says it."""

    key: str
    options: Sequence[str]
    shown: _Shown

    def text_box(self, box: TextBox) -> None:
        st.text_input(box.label, key=self.key, max_chars=box.max_chars, placeholder=box.placeholder)

    def multi_select(self, box: MultiSelect) -> None:
        st.multiselect(
            box.label,
            self.options,
            key=self.key,
            format_func=self.shown,
            # with counts it is a filter, where choosing nothing keeps every row
            placeholder="All" if self.shown.counts is not None else "Choose",
            max_selections=box.max_selections,
        )

    def radio(self, box: Radio) -> None:
        st.radio(box.label, box.options, key=self.key, horizontal=True)

    def number_box(self, box: NumberBox) -> None:
        st.number_input(box.label, min_value=box.minimum, max_value=box.maximum, step=box.step, key=self.key)


def controls(bar: FilterBar, params: Sequence[Param], per_row: int = 2) -> None:
    """A page's chart settings, ``per_row`` abreast (stacked on a phone)."""
    for start in range(0, len(params), per_row):
        for column, param in zip(st.columns(per_row), params[start : start + per_row], strict=False):
            with column:
                widget(bar, param)


def _reset(bar: FilterBar) -> None:
    for param in bar.params:
        st.session_state[bar.key(param)] = param.to_widget(param.default)
    bar.drawn.update(param.key for param in bar.params)  # hidden inputs too: the URL no longer counts


def reset_button(bar: FilterBar) -> None:
    st.button(
        "Reset filters",
        key=f"{bar.spec.path}:reset",
        on_click=_reset,
        args=(bar,),
        icon=":material/restart_alt:",
    )
    if bar.ignored:
        st.caption(f"{bar.ignored} link parameter(s) were not recognised or not valid and have been ignored.")
