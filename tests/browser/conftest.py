"""A real server on a free loopback port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from bench import servers
from bench.servers import Server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
APPOINTMENT = "https://clinic.example.org/book?from=dashboard"

# Two cores run the servers, Chromium and pytest workers at once: give assertions room to wait.
expect.set_options(timeout=20_000)

# Streamlit's frontend finds its base path by probing <path>/_stcore/health and host-config
# when a page is opened at a deep URL such as /dosing; those probes 404 by design.
PROBES = ("/_stcore/health", "/_stcore/host-config")


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
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@dataclass
class Console:
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = str(message.location.get("url", ""))
        if "404" in message.text and url.endswith(PROBES):
            return
        self.errors.append(f"{message.text} @ {url}")


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Browser, console: Console) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.on("console", console.record)
    opened.on("pageerror", lambda error: console.errors.append(f"page error: {error}"))
    opened.on("dialog", lambda dialog: (console.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert console.dialogs == [], "a dialog opened"
    assert console.errors == [], "console errors"


def wait_ready(page: Page) -> None:
    """Wait until the script run has finished (the status widget shows no running state)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)


STABLE_COUNT = """([selector, key]) => {
    const n = document.querySelectorAll(selector).length;
    const seen = window[key];
    window[key] = n;
    return n > 0 && n === seen;
}"""


def settled_count(page: Page, selector: str) -> int:
    """How many elements match once their number has stopped changing (plotly draws in steps):
    polls the page until two readings 300 ms apart agree, then returns that count."""
    page.wait_for_function(STABLE_COUNT, arg=[selector, "__settled_" + str(abs(hash(selector)))], polling=300)
    return int(page.locator(selector).count())
