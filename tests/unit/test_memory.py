"""The housekeeper collects garbage cycles and (on glibc) returns free memory, on its own thread."""

from __future__ import annotations

import gc
import time
import weakref

from dashboard.memory import Housekeeper


class Node:
    def __init__(self) -> None:
        self.me = self


def test_tidy_collects_reference_cycles() -> None:
    gc.disable()
    try:
        cycle = Node()
        alive = weakref.ref(cycle)
        del cycle
        assert alive() is not None
        keeper = Housekeeper()
        keeper.tidy()
        assert alive() is None
        assert keeper.rounds == 1
    finally:
        gc.enable()


def test_runs_in_the_background_and_stops() -> None:
    keeper = Housekeeper(interval=0.01)
    keeper.start()
    deadline = time.monotonic() + 10
    while keeper.rounds < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    keeper.stopped.set()
    keeper.join(timeout=2)
    assert not keeper.is_alive()
    assert keeper.rounds >= 2
    assert keeper.trim is not None  # glibc on this platform
