"""A real server on a free loopback port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from bench.servers import free_port, wait_healthy

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


@dataclass
class Server:
    url: str
    data: Path
    process: subprocess.Popen[bytes]
    log: Path


def start_server(data: Path, log: Path, env: dict[str, str] | None = None, port: int | None = None) -> Server:
    port = port or free_port()
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(log.parent),
        "DASHBOARD_DATA_DIR": str(data),
        "DASHBOARD_APPOINTMENT_URL": APPOINTMENT,
        **(env or {}),
    }
    handle = log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=environment,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}", data, process, log)
    wait_healthy(server.url, process)
    return server


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    shutil.copytree(ROOT / "data", folder / "data")
    running = start_server(folder / "data", folder / "server.log")
    yield running
    stop(running.process)


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
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    page.wait_for_timeout(300)
