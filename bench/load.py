"""Drive visitors at a server and summarise what they measured."""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.protocol import Run, Visitor
from bench.servers import Server


@dataclass
class Result:
    first: list[Run] = field(default_factory=list)
    reruns: list[Run] = field(default_factory=list)
    failed_sessions: int = 0
    seconds: float = 0.0

    @property
    def runs(self) -> list[Run]:
        return self.first + self.reruns

    @property
    def errors(self) -> int:
        return sum(not r.ok for r in self.runs) + self.failed_sessions

    @property
    def per_second(self) -> float:
        return len(self.runs) / self.seconds if self.seconds else 0.0


def pct(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(runs: Sequence[Run], q: float) -> float:
    return pct([r.seconds * 1000 for r in runs], q)


def median_bytes(runs: Sequence[Run]) -> float:
    return statistics.median(r.bytes for r in runs) if runs else float("nan")


async def _visit(url: str, page: str, queries: Sequence[str], result: Result, timeout: float) -> None:
    try:
        async with Visitor(url, page=page, timeout=timeout) as visitor:
            result.first.append(await visitor.run(queries[0]))
            for query in queries[1:]:
                result.reruns.append(await visitor.run(query))
    except Exception:  # noqa: BLE001 - a failed session is a measured outcome, not a crash of the benchmark
        result.failed_sessions += 1


async def _crowd(url: str, page: str, queries: Sequence[str], visitors: int, timeout: float, stagger: float) -> Result:
    result = Result()
    started = time.perf_counter()
    tasks = []
    for i in range(visitors):
        tasks.append(asyncio.create_task(_visit(url, page, queries, result, timeout)))
        if stagger and i < visitors - 1:
            await asyncio.sleep(stagger)
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - started
    return result


def crowd(
    url: str, page: str, queries: Sequence[str], visitors: int, *, timeout: float = 600, stagger: float = 0.0
) -> Result:
    """``visitors`` simultaneous sessions, each a first render then one rerun per further query."""
    return asyncio.run(_crowd(url, page, queries, visitors, timeout, stagger))


def one_by_one(url: str, page: str, queries: Sequence[str], sessions: int) -> Result:
    """``sessions`` sessions in a row (one visitor at a time)."""
    total = Result()
    for _ in range(sessions):
        part = crowd(url, page, queries, 1)
        total.first += part.first
        total.reruns += part.reruns
        total.failed_sessions += part.failed_sessions
        total.seconds += part.seconds
    return total


class RssSampler:
    """Samples a server's resident memory in the background; ``peak`` is the highest seen."""

    def __init__(self, server: Server, every: float = 0.25) -> None:
        self.server, self.every, self.peak = server, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_mb())
            time.sleep(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
