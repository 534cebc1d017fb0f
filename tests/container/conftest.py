"""The container tier: the image of deploy/Dockerfile, built once per run and started for real.

Two containers with the production settings run behind the shipped deploy/nginx.conf (only its
replica addresses and port swapped for loopback ones, as in the browser tier), with their data
folder a read-only bind mount of a host folder, as the README tells operators. Debian's Chromium
visits them through nginx. How podman is driven on this machine: see podman.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect, sync_playwright

from bench.servers import NGINX, free_port, loopback_nginx_config, wait_healthy
from tests.container import podman

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
APPOINTMENT = "https://clinic.example.org/book?from=container"
SECRET = "container-tier-cookie-secret-shared-by-both-replicas"  # noqa: S105 - throwaway, loopback only

# Two cores run two containers, nginx, Chromium and pytest at once: give assertions room to wait.
expect.set_options(timeout=30_000)

# Streamlit's frontend finds its base path by probing <path>/_stcore/health and host-config
# when a page is opened at a deep URL such as /dosing; those probes 404 by design.
PROBES = ("/_stcore/health", "/_stcore/host-config")


@dataclass
class Replica:
    name: str
    url: str


@dataclass
class Site:
    url: str
    replicas: list[Replica]
    data: Path


@pytest.fixture(scope="session")
def image() -> str:
    """Built once per run; podman's layer cache makes an unchanged rebuild take seconds."""
    podman.remove_orphans()
    podman.build()
    return podman.IMAGE


@pytest.fixture(scope="session")
def site(image: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / "data", folder / "data")
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": SECRET, "DASHBOARD_APPOINTMENT_URL": APPOINTMENT}
    replicas = []
    proxy = None
    try:
        for number in (1, 2):
            port = free_port()
            name = f"{podman.PREFIX}-app{number}"
            podman.run(name, port, env=env, volumes=[f"{folder / 'data'}:/app/data:ro"], image=image)
            replicas.append(Replica(name, f"http://127.0.0.1:{port}"))
        for replica in replicas:
            podman.wait_healthy(replica.url, replica.name)
        port = free_port()
        addresses = [r.url.removeprefix("http://") for r in replicas]
        config = loopback_nginx_config(addresses, port, folder, lift_limits=False)
        check = subprocess.run(
            [NGINX, "-t", "-c", str(config), "-p", str(folder)], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stderr
        proxy = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(folder), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_healthy(f"http://127.0.0.1:{port}", proxy)
        yield Site(f"http://127.0.0.1:{port}", replicas, folder / "data")
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=15)
        for replica in replicas:
            podman.remove(replica.name)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        manager = sync_playwright().start()
    except Error as error:
        # The browser tier's session-wide Playwright is still open in this process.
        raise RuntimeError("run tests/container in a pytest process of its own (as make test does)") from error
    launched = manager.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield launched
    launched.close()
    manager.stop()


@dataclass
class Console:
    errors: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = str(message.location.get("url", ""))
        if "404" in message.text and url.endswith(PROBES):
            return
        self.errors.append(f"{message.text} @ {url}")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, empty cache); any console error or dialog fails the test."""
    console = Console()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.on("console", console.record)
    opened.on("pageerror", lambda error: console.errors.append(f"page error: {error}"))
    opened.on("dialog", lambda dialog: (console.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield opened
    context.close()
    assert console.errors == [], "console errors"


def open_page(page: Page, url: str, heading: str | re.Pattern[str]) -> None:
    """Open ``url`` and wait until its heading is shown and the script run has finished."""
    page.goto(url)
    expect(page.locator("h1").first).to_have_text(heading)
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_be_attached()
