"""The server prepares every page before its first visitor (``python -m dashboard.ui.serve``): the first
visitor's page is then built from what was prepared, like anyone else's, not computed on their time."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dashboard.pagespec import PageSpec
from dashboard.pagespecs import PAGES
from dashboard.ui import resources
from tests.app.conftest import RunApp

Rewrite = Callable[[str, Callable[[str], str]], Path]
WARMED = [spec for spec in PAGES if spec.view]


def _counted(calls: dict[str, int], fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)  # the same module and name: the same cache key as the page's own call
    def counting(*args: Any) -> Any:
        calls[fn.__qualname__] = calls.get(fn.__qualname__, 0) + 1
        return fn(*args)

    return counting


@pytest.mark.parametrize("spec", WARMED, ids=[spec.path for spec in WARMED])
def test_a_first_visitor_after_a_start_finds_the_page_prepared(
    spec: PageSpec, data_dir: Path, rewrite: Rewrite, run_app: RunApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A version of the tables no other test has served (every page reads the sources): nothing is
    # prepared or cached for it yet.
    marker = uuid.uuid4().hex[:8]
    rewrite("sources.csv", lambda text: text.replace("NDA 211243;", f"NDA 211243 ({marker});", 1))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    views = spec.views()
    calls: dict[str, int] = {}
    monkeypatch.setattr(views, "prepare", _counted(calls, views.prepare))
    if hasattr(views, "view"):  # the overview shows its prepared data as it is
        monkeypatch.setattr(views, "view", _counted(calls, views.view))

    resources.warm(PAGES)
    warmed = dict(calls)
    at = run_app(data_dir, page=spec.path)

    assert not at.exception
    assert warmed.get("prepare") == 1, f"{spec.path}: the server should prepare the page before a visitor"
    if hasattr(spec.views(), "view"):
        assert warmed.get("view") == 1, f"{spec.path}: the view a bare URL opens should be ready"
    assert calls == warmed, f"{spec.path}: the first visitor's run computed {calls} after the start's {warmed}"
