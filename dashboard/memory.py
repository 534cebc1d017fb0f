"""Give memory back after a crowd of visitors has left.

Three measures keep a crowd from leaving the server bigger than it found it (measured with 200
simultaneous visitors, see docs/performance.md): page runs take turns (``ui.resources.run_slot``), so
temporaries of 200 runs never pile up at once; the process runs with ``MALLOC_ARENA_MAX=2`` and
``ARROW_DEFAULT_MEMORY_POOL=system`` (set by the Makefile and the container image), so freed memory
is not parked in per-thread arenas or in a private Arrow pool; and this housekeeper tidies up.

Each page run converts frames to Arrow for the browser; pyarrow's memory pool (jemalloc or
mimalloc) keeps what it freed for reuse, and glibc keeps freed pages in per-thread arenas
(Streamlit runs every script run in a new thread). Measured here: 200 visitors left the server
about 100 MB above its warm size while the Python objects still alive had grown by 3 MB. A daemon
thread therefore collects garbage cycles (the per-run collection is switched off for throughput),
asks pyarrow's pool to release unused memory and glibc to return free pages, once per interval.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading
from collections.abc import Callable

import pyarrow

log = logging.getLogger(__name__)


def _malloc_trim() -> Callable[[], object] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    return lambda: trim(0)


class Housekeeper(threading.Thread):
    def __init__(self, interval: float = 30.0) -> None:
        super().__init__(name="dashboard-housekeeper", daemon=True)
        self.interval = interval
        self.trim = _malloc_trim()
        self.stopped = threading.Event()
        self.rounds = 0

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.tidy()

    def tidy(self) -> None:
        gc.collect()
        pyarrow.default_memory_pool().release_unused()
        if self.trim is not None:
            self.trim()
        self.rounds += 1
