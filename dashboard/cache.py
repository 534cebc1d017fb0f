"""The cache of what is derived from the tables (frames, page views, figures), and ``Held``, the
prepared data pages rest on, kept per data version outside the cache's byte budget.

A result is keyed by what it depends on and nothing else: the derivation function (by its module
and name, so two functions can never share a key), the versions of the tables it reads (their
content hashes) and its arguments (filter values, a sort order). Frames derived from those tables
may be passed as ``inputs``: they are not part of the key, because the versions identify them.

The cache is bounded in bytes, in entries and in age, and evicts the least recently used entry
first. A result is computed once even when several sessions ask for it at the same moment.
Results are shared between sessions: never mutate one.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

T = TypeVar("T")
Key = tuple[str, Hashable, Hashable]


def name_of(fn: Callable[..., Any]) -> str:
    """``module.qualname`` of a named function; lambdas and nested functions have no stable name."""
    qualname = getattr(fn, "__qualname__", "")
    if not qualname or "<lambda>" in qualname or "<locals>" in qualname:
        raise ValueError(f"the cache needs a named module-level function, not {qualname or fn!r}")
    return f"{fn.__module__}.{qualname}"


def sizeof(value: object, _depth: int = 0) -> int:
    """An estimate of the memory a result holds, in bytes (frames and arrays by their buffers)."""
    if _depth > 6:
        return sys.getsizeof(value)
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(index=True, deep=False))
    if isinstance(value, np.ndarray | pa.Array | pa.ChunkedArray):
        return int(value.nbytes)
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes
    if hasattr(value, "to_plotly_json"):  # a plotly figure: about 100 bytes per point of each trace
        traces: Iterable[object] = getattr(value, "data", ())
        return 4096 + sum(100 * _points(trace) for trace in traces)
    if is_dataclass(value) and not isinstance(value, type):
        return sum(sizeof(getattr(value, f.name), _depth + 1) for f in fields(value)) + 64
    if isinstance(value, Mapping):
        if len(value) > 64:  # a large mapping of small values (facet counts): estimate from a sample
            sample = list(value.items())[:16]
            each = sum(sizeof(k, _depth + 1) + sizeof(v, _depth + 1) for k, v in sample) / len(sample)
            return int(each * len(value)) + 64
        return sum(sizeof(k, _depth + 1) + sizeof(v, _depth + 1) for k, v in value.items()) + 64
    if isinstance(value, list | tuple | set | frozenset):
        return sum(sizeof(v, _depth + 1) for v in value) + 56
    return sys.getsizeof(value)


def _points(trace: object) -> int:
    """How many points a trace draws (its x may be a list, a tuple, an array or absent)."""
    x = getattr(trace, "x", None)
    return 0 if x is None else len(x)


@dataclass
class _Entry:
    value: Any
    size: int
    born: float


@dataclass
class Stats:
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    entries: int = 0
    bytes: int = 0


class Cache:
    """Thread-safe; one per server process, shared by every session."""

    def __init__(
        self,
        max_bytes: int,
        max_entries: int = 1024,
        max_age: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
        after_large: Callable[[], object] | None = None,
        large_bytes: int = 32 * 2**20,
    ) -> None:
        """``after_large`` runs (outside the locks) after computing a value of ``large_bytes`` or more:
        building one leaves as much again in temporaries that the allocator keeps until told."""
        self.max_bytes = max_bytes
        self.after_large = after_large
        self.large_bytes = large_bytes
        self.max_entries = max_entries
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[Key, _Entry] = OrderedDict()
        self._computing: dict[Key, threading.Lock] = {}
        self._bytes = 0
        self.stats = Stats()

    def get(
        self,
        fn: Callable[..., T],
        versions: Hashable,
        args: tuple[Hashable, ...] = (),
        inputs: tuple[object, ...] = (),
    ) -> T:
        """``fn(*inputs, *args)``, computed once per (``fn``, ``versions``, ``args``)."""
        key: Key = (name_of(fn), versions, args)
        found = self._lookup(key)
        if found is not None:
            return found.value
        with self._lock:
            guard = self._computing.setdefault(key, threading.Lock())
        with guard:  # a second caller of the same key waits here for the first one's result
            found = self._lookup(key, count=False)
            if found is not None:
                return found.value
            value = fn(*inputs, *args)
            size = self._store(key, value)
        with self._lock:
            self._computing.pop(key, None)
        if self.after_large is not None and size >= self.large_bytes:
            self.after_large()
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._refresh_stats()

    def _lookup(self, key: Key, *, count: bool = True) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and self._clock() - entry.born > self.max_age:
                self._drop(key)
                entry = None
            if entry is not None:
                self._entries.move_to_end(key)
            if count:
                self.stats.hits += entry is not None
                self.stats.misses += entry is None
            return entry

    def _store(self, key: Key, value: object) -> int:
        size = sizeof(value)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            if size <= self.max_bytes:
                self._entries[key] = _Entry(value, size, self._clock())
                self._bytes += size
            while self._entries and (self._bytes > self.max_bytes or len(self._entries) > self.max_entries):
                self._drop(next(iter(self._entries)))
                self.stats.evictions += 1
            self._refresh_stats()
        return size

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key)
        self._bytes -= entry.size
        self._refresh_stats()

    def _refresh_stats(self) -> None:
        self.stats.entries = len(self._entries)
        self.stats.bytes = self._bytes


class Held:
    """What pages rest on, one value per function for the data version being served: a page's prepared
    table and its filter index. Apart from ``Cache``, so the derived results the byte budget bounds can
    never evict them (at a million rows one prepared table can be larger than the whole budget, and was
    rebuilt on every run). A new data version's value replaces the old one; ``retain`` drops the values
    of versions no longer served. Thread-safe; computed once even when several sessions ask at once."""

    def __init__(self, after_large: Callable[[], object] | None = None, large_bytes: int = 32 * 2**20) -> None:
        self.after_large = after_large
        self.large_bytes = large_bytes
        self._lock = threading.Lock()
        self._held: dict[str, tuple[Hashable, Any, int]] = {}
        self._computing: dict[str, threading.Lock] = {}

    def get(self, fn: Callable[..., T], versions: Hashable, inputs: tuple[object, ...] = ()) -> T:
        """``fn(*inputs)`` for ``versions``, computed once and kept until another version replaces it."""
        name = name_of(fn)
        found = self._find(name, versions)
        if found is not None:
            return found[0]
        with self._lock:
            guard = self._computing.setdefault(name, threading.Lock())
        with guard:
            found = self._find(name, versions)
            if found is not None:
                return found[0]
            value = fn(*inputs)
            size = sizeof(value)
            with self._lock:
                self._held[name] = (versions, value, size)
        if self.after_large is not None and size >= self.large_bytes:
            self.after_large()
        return value

    def retain(self, current: Callable[[Hashable], bool]) -> None:
        """Drop every value whose versions ``current`` says are no longer served."""
        with self._lock:
            for name in [n for n, (versions, _, _) in self._held.items() if not current(versions)]:
                del self._held[name]

    @property
    def bytes(self) -> int:
        with self._lock:
            return sum(size for _, _, size in self._held.values())

    def _find(self, name: str, versions: Hashable) -> tuple[Any] | None:
        with self._lock:
            found = self._held.get(name)
        return (found[1],) if found is not None and found[0] == versions else None
