"""The one cache: keyed by function, table versions and arguments; bounded in bytes, entries and age."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.cache import Cache, Held, name_of, sizeof

CALLS: list[tuple[str, object]] = []


def double(x: int) -> int:
    CALLS.append(("double", x))
    return 2 * x


def triple(x: int) -> int:
    CALLS.append(("triple", x))
    return 3 * x


def block(n: int) -> np.ndarray:
    CALLS.append(("block", n))
    return np.zeros(n, dtype=np.uint8)


WAIT = 10.0
"""Longest a test waits for another thread; reached only when something is broken."""


@dataclass
class Gate:
    """Holds a computation open: ``entered`` once it has started, and it finishes on ``release``."""

    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


def held(gate: Gate, x: int) -> int:
    CALLS.append(("held", x))
    gate.entered.set()
    gate.release.wait(timeout=WAIT)
    return x


def wait_until(condition: Callable[[], bool]) -> bool:
    """Whether ``condition`` holds within WAIT seconds; polled, because a session blocked on the
    cache's lock sends no signal of its own."""
    deadline = time.monotonic() + WAIT
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.001)
    return condition()


@pytest.fixture(autouse=True)
def _forget_calls() -> None:
    CALLS.clear()


def test_a_result_is_computed_once_per_function_versions_and_arguments() -> None:
    cache = Cache(max_bytes=10_000)
    assert cache.get(double, ("v1",), (2,)) == 4
    assert cache.get(double, ("v1",), (2,)) == 4
    assert cache.get(triple, ("v1",), (2,)) == 6  # another function never shares a key
    assert cache.get(double, ("v2",), (2,)) == 4  # a new table version is a new key
    assert cache.get(double, ("v1",), (3,)) == 6
    assert CALLS == [("double", 2), ("triple", 2), ("double", 2), ("double", 3)]
    assert cache.stats.hits == 1
    assert cache.stats.misses == 4


def test_inputs_are_passed_but_not_part_of_the_key() -> None:
    cache = Cache(max_bytes=10_000)
    first = cache.get(triple, ("v1",), (), inputs=(1,))
    second = cache.get(triple, ("v1",), (), inputs=(5,))  # same versions: the same derived input
    assert first == second == 3
    assert CALLS == [("triple", 1)]


@pytest.mark.parametrize("fn", [lambda x: x, pytest.param(None, id="nested")])
def test_a_function_without_a_stable_name_is_refused(fn: object) -> None:
    if fn is None:

        def nested(x: int) -> int:
            return x

        fn = nested
    with pytest.raises(ValueError, match="named module-level function"):
        Cache(max_bytes=100).get(fn, (), (1,))  # type: ignore[arg-type]


def test_least_recently_used_results_leave_first_when_the_byte_budget_is_reached() -> None:
    cache = Cache(max_bytes=2_500)
    cache.get(block, (), (1000,))
    cache.get(block, (), (1001,))
    cache.get(block, (), (1000,))  # used again: now the most recent
    cache.get(block, (), (1002,))  # over budget: 1001 goes
    assert cache.stats.bytes <= 2_500
    assert cache.stats.evictions == 1
    cache.get(block, (), (1000,))
    cache.get(block, (), (1001,))
    assert CALLS == [("block", 1000), ("block", 1001), ("block", 1002), ("block", 1001)]


def test_a_result_larger_than_the_budget_is_returned_but_not_kept() -> None:
    cache = Cache(max_bytes=500)
    assert len(cache.get(block, (), (1000,))) == 1000
    assert cache.stats.entries == 0
    assert cache.stats.bytes == 0


def test_building_a_large_result_hands_memory_back_once_and_a_hit_does_not() -> None:
    tidied: list[int] = []
    cache = Cache(max_bytes=10_000_000, after_large=lambda: tidied.append(1), large_bytes=4_000)
    cache.get(block, (), (100,))  # small: nothing to hand back
    assert tidied == []
    cache.get(block, (), (5_000,))
    assert tidied == [1]
    cache.get(block, (), (5_000,))  # a hit builds nothing
    assert tidied == [1]


def test_entries_are_bounded_in_number_and_age() -> None:
    now = [0.0]
    cache = Cache(max_bytes=10**6, max_entries=2, max_age=60, clock=lambda: now[0])
    for x in (1, 2, 3):
        cache.get(double, (), (x,))
    assert cache.stats.entries == 2
    now[0] = 61
    cache.get(double, (), (3,))
    assert CALLS[-1] == ("double", 3)
    assert cache.stats.entries == 2


def test_sessions_asking_at_once_wait_for_one_computation() -> None:
    """Three sessions miss the cache while a first one is still computing the same result: they
    wait for its result instead of computing it again."""
    cache = Cache(max_bytes=10_000)
    gate = Gate()
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(held, (), (7,), (gate,)))) for _ in range(4)]
    threads[0].start()
    assert gate.entered.wait(timeout=WAIT), "the first session never started computing"
    for thread in threads[1:]:
        thread.start()
    # every session has looked the key up and found nothing before the first one may finish
    assert wait_until(lambda: cache.stats.misses == 4), f"{cache.stats.misses} of 4 sessions asked"
    gate.release.set()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert results == [7, 7, 7, 7]
    assert CALLS == [("held", 7)], f"{len(CALLS)} sessions computed the same result"


def test_sizeof_counts_frames_arrays_and_containers() -> None:
    frame = pd.DataFrame({"a": np.zeros(1000), "b": pd.Categorical(["x"] * 1000)})
    assert sizeof(frame) >= 8000 + 1000
    assert sizeof(np.zeros(10_000, dtype=np.uint8)) == 10_000
    assert sizeof((np.zeros(100, dtype=np.uint8), [np.zeros(100, dtype=np.uint8)])) >= 200


def test_sizeof_grows_with_the_points_a_figure_draws() -> None:
    """Charts hold numpy arrays as x (which have no truth value) and lists; both are sized."""
    small = go.Figure(go.Bar(x=np.arange(3), y=np.arange(3)))
    large = go.Figure([go.Bar(x=np.arange(500), y=np.arange(500)), go.Scatter(x=list(range(500)))])
    empty = go.Figure(go.Scatter())
    assert sizeof(empty) < sizeof(small) < sizeof(large)
    assert sizeof(large) >= 100 * 1000


def test_name_of_names_module_and_function() -> None:
    assert name_of(double) == f"{__name__}.double"


def prepare_block(frame: np.ndarray) -> np.ndarray:
    CALLS.append(("prepare_block", len(frame)))
    return frame.copy()


def test_held_data_is_computed_once_per_version_and_kept_whatever_its_size() -> None:
    CALLS.clear()
    tidied: list[int] = []
    held = Held(after_large=lambda: tidied.append(1), large_bytes=2**20)
    big = np.zeros(4 * 2**20, dtype=np.uint8)  # larger than a small cache's whole budget
    cache = Cache(max_bytes=2**20)
    first = held.get(prepare_block, (("t", "v1"),), (big,))
    for n in range(50):  # derived results come and go in the cache; the held value stays
        cache.get(block, (("t", "v1"),), (2**19 + n,))
    assert held.get(prepare_block, (("t", "v1"),), (big,)) is first
    assert CALLS.count(("prepare_block", len(big))) == 1
    assert held.bytes == big.nbytes
    assert tidied == [1]  # a large value is followed by a tidy-up


def test_held_data_of_a_new_version_replaces_the_old_and_retain_drops_unserved_ones() -> None:
    CALLS.clear()
    held = Held()
    old = held.get(prepare_block, (("t", "v1"),), (np.zeros(10),))
    new = held.get(prepare_block, (("t", "v2"),), (np.zeros(20),))
    assert new is not old
    assert held.bytes == new.nbytes  # the old version is no longer held
    assert held.get(prepare_block, (("t", "v2"),), (np.zeros(20),)) is new
    held.retain(lambda versions: versions == (("t", "v3"),))
    assert held.bytes == 0
    held.get(prepare_block, (("t", "v2"),), (np.zeros(20),))
    assert CALLS == [("prepare_block", 10), ("prepare_block", 20), ("prepare_block", 20)]


def test_held_data_asked_for_at_once_is_computed_once() -> None:
    CALLS.clear()
    held = Held()
    results: list[np.ndarray] = []
    threads = [
        threading.Thread(target=lambda: results.append(held.get(prepare_block, (("t", "v1"),), (np.zeros(10**6),))))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert len(results) == 4
    assert all(r is results[0] for r in results)
    assert CALLS == [("prepare_block", 10**6)]
