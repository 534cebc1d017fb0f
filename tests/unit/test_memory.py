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


def test_the_server_freezes_what_its_imports_made_but_not_what_comes_after() -> None:
    import gc
    import weakref

    from dashboard.ui import serve

    class Cycle:
        me: object

    try:
        serve.freeze_code()
        assert gc.get_freeze_count() > 50_000  # the page modules and their libraries
        later = Cycle()
        later.me = later
        gone = weakref.ref(later)
        del later
        gc.collect()
        assert gone() is None  # made after the freeze: still collected
    finally:
        gc.unfreeze()
