"""The browser benchmark's floor app and pages are measured in rounds, so their ratio compares like with like."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench import direct
from bench.lighthouse import Metrics


@dataclass
class FakeBrowser:
    """Stands in for Chromium under Lighthouse: records the order of visits; each visit is slower
    than the last, as on a machine that grows busier during the run."""

    visited: list[str] = field(default_factory=list)

    def lighthouse(self, url: str, preset: str, *, keep_cache: bool) -> Metrics:
        assert (preset, keep_cache) == ("desktop", False)
        self.visited.append(url)
        return Metrics(tbt=100.0 * len(self.visited))


def test_the_floor_and_every_page_are_visited_in_rounds() -> None:
    browser = FakeBrowser()
    targets = [(direct.FLOOR, "floor"), ("overview", "a"), ("dosing", "b")]
    visits = direct.interleaved(browser, targets, 3)  # type: ignore[arg-type]
    assert browser.visited == ["floor", "a", "b"] * 3
    assert {name: len(found) for name, found in visits.items()} == {direct.FLOOR: 3, "overview": 3, "dosing": 3}
    # The machine slowed down steadily: in rounds, a page that costs the same as the floor app comes
    # out at 1.25x of it, where one measured after all the floor's visits would come out at 2.5x.
    floor = [m.tbt for m in visits[direct.FLOOR]]
    page = [m.tbt for m in visits["overview"]]
    assert sorted(page)[1] / sorted(floor)[1] == 1.25


def test_each_round_gives_the_page_over_the_floor_app_measured_in_that_round() -> None:
    floor = [Metrics(tbt=400.0), Metrics(tbt=500.0), Metrics(error="lighthouse timed out"), Metrics(tbt=0.0)]
    page = [Metrics(tbt=600.0), Metrics(tbt=1000.0), Metrics(tbt=700.0), Metrics(tbt=300.0)]
    # a round whose floor visit failed, or blocked nothing, gives no ratio rather than a false one
    assert direct.per_round(page, floor) == (1.5, 2.0)
    page[1] = Metrics(error="lighthouse exited 1")
    assert direct.per_round(page, floor) == (1.5,)
