"""The filter bar: a page's filters kept in step with the URL and with their widgets.

``FilterBar.start(spec, options)`` returns the bar with the page's current values; the panel, the
reset button and the single widgets take the bar as their argument. The bar reads the URL when it
holds something this bar did not write there (a shared link, the back button) and otherwise lets
the widgets win; it then writes its values back to the URL. What it remembers between runs (the
query it wrote, how many link parameters it ignored) is its own, under one session key per page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard import filterset
from dashboard.filters import MAX_SEARCH, MAX_VALUES, Param
from dashboard.filterset import Values
from dashboard.pagespecs import PageSpec


@dataclass(frozen=True)
class _Memory:
    written: dict[str, list[str]]
    ignored: int


@dataclass(frozen=True)
class FilterBar:
    spec: PageSpec
    params: tuple[Param, ...]
    options: Mapping[str, Sequence[str]]
    values: Values
    ignored: int

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
        if not isinstance(memory, _Memory) or memory.written != query:
            values, ignored = filterset.parse(query, chosen, options)
            for param in chosen:
                st.session_state[_key(spec, param)] = param.to_widget(values[param.key])
        else:
            ignored = memory.ignored
        values = _current(spec, chosen, options)
        written = filterset.to_query(values, chosen)
        if written != query:
            st.query_params.from_dict(written)
        st.session_state[memory_key] = _Memory(written, ignored)
        return cls(spec, chosen, options, values, ignored)

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


def panel(bar: FilterBar, params: Sequence[Param], counts: Mapping[str, Mapping[str, int]], *, heading: str) -> None:
    """Search boxes across the panel, then multiselects in a grid, each value with the rows it would give."""
    grid = [p for p in params if p.widget == "facet"]
    with st.container(border=True):
        st.markdown(f"**{heading}**")
        for param in params:
            if param.widget == "search":
                widget(bar, param)
        columns = st.columns(min(len(grid), 3)) if grid else []
        for i, param in enumerate(grid):
            with columns[i % len(columns)]:
                widget(bar, param, counts.get(param.key, {}))


def widget(
    bar: FilterBar, param: Param, counts: Mapping[str, int] | None = None, names: Mapping[str, str] | None = None
) -> None:
    """Draw the input of one parameter (its kind decides which). A multi-select shows each value's
    ``counts`` when given, and its ``names`` (the value itself otherwise)."""
    _DRAW[param.widget](bar, param, _Shown(counts, names or {}))


@dataclass(frozen=True)
class _Shown:
    counts: Mapping[str, int] | None
    names: Mapping[str, str]

    def __call__(self, value: str) -> str:
        name = self.names.get(value, value)
        return name if self.counts is None else f"{name} ({self.counts.get(value, 0)})"


def _search(bar: FilterBar, param: Param, _shown: _Shown) -> None:
    st.text_input(
        param.label, key=bar.key(param), max_chars=MAX_SEARCH, placeholder="Type words to find in the text columns"
    )


def _facet(bar: FilterBar, param: Param, shown: _Shown) -> None:
    limit = getattr(param, "limit", None)
    st.multiselect(
        param.label,
        bar.options.get(param.key, ()),
        key=bar.key(param),
        format_func=shown,
        placeholder="All" if shown.counts is not None else "Choose",
        max_selections=limit if limit is not None and limit < MAX_VALUES else None,
    )


def _choice(bar: FilterBar, param: Param, _shown: _Shown) -> None:
    st.radio(param.label, param.options, key=bar.key(param), horizontal=True)  # type: ignore[attr-defined]


def _number(bar: FilterBar, param: Param, _shown: _Shown) -> None:
    st.number_input(
        param.label,
        min_value=param.minimum,  # type: ignore[attr-defined]
        max_value=param.maximum,  # type: ignore[attr-defined]
        step=param.step,  # type: ignore[attr-defined]
        key=bar.key(param),
    )


_DRAW: dict[str, Callable[[FilterBar, Param, _Shown], None]] = {
    "search": _search,
    "facet": _facet,
    "choice": _choice,
    "number": _number,
}


def _reset(bar: FilterBar) -> None:
    for param in bar.params:
        st.session_state[bar.key(param)] = param.to_widget(param.default)


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
