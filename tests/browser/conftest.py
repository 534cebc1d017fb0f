"""A real server on a free loopback port and Debian's Chromium driven by Playwright (tests/browserkit.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench import servers
from bench.servers import Server
from tests.browserkit import (
    CHROMIUM,
    FLAGS,
    Console,
    chromium,
    open_every_expander,
    settled_count,
    wait_ready,
    watched_page,
)

__all__ = ["CHROMIUM", "FLAGS", "Console", "open_every_expander", "settled_count", "wait_ready"]

ROOT = Path(__file__).resolve().parents[2]
APPOINTMENT = "https://clinic.example.org/book?from=dashboard"

# Two cores run the servers, Chromium and pytest workers at once: give assertions room to wait.
expect.set_options(timeout=20_000)


def start_server(data: Path, log: Path, env: dict[str, str] | None = None) -> Server:
    """The dashboard on a free loopback port (the one server starter the benchmarks use too); not in
    public mode unless ``env`` says so, with the test appointment link."""
    settings = {"DASHBOARD_APPOINTMENT_URL": APPOINTMENT, "DASHBOARD_PUBLIC": "0", **(env or {})}
    return servers.dashboard(data, name=log.stem, env=settings, log=log)


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Server]]:
    """``serve(name, env=None, data=None)``: a server on a private copy of the data (or ``data``),
    stopped when the module's tests are done."""
    started: list[Server] = []

    def start(name: str, env: dict[str, str] | None = None, data: Path | None = None) -> Server:
        folder = tmp_path_factory.mktemp(name)
        if data is None:
            data = folder / "data"
            shutil.copytree(ROOT / "data", data)
        server = start_server(data, folder / f"{name}.log", env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def server(serve: Callable[..., Server]) -> Server:
    return serve("server")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Browser, console: Console) -> Iterator[Page]:
    with watched_page(browser, console) as opened:
        yield opened
