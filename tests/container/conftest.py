"""The container tier: the image of deploy/Dockerfile, built once per run and started for real.

Two containers with the production settings run behind the shipped deploy/nginx.conf (only its
replica addresses and port swapped for loopback ones, as in the browser tier), with their data
folder a read-only bind mount of a host folder, as the README tells operators. Debian's Chromium
visits them through nginx. How podman is driven on this machine: see podman.py.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.servers import free_port, nginx
from tests.browserkit import Console, chromium, wait_ready, watched_page
from tests.container import podman

ROOT = Path(__file__).resolve().parents[2]
APPOINTMENT = "https://clinic.example.org/book?from=container"
SECRET = "container-tier-cookie-secret-shared-by-both-replicas"  # noqa: S105 - throwaway, loopback only

# Two cores run two containers, nginx, Chromium and pytest at once: give assertions room to wait.
expect.set_options(timeout=30_000)


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
    replicas: list[Replica] = []
    proxy = None
    try:
        for number in (1, 2):
            port = free_port()
            name = f"{podman.PREFIX}-app{number}"
            podman.run(name, port, env=env, volumes=[f"{folder / 'data'}:/app/data:ro"], image=image)
            replicas.append(Replica(name, f"http://127.0.0.1:{port}"))
        for replica in replicas:
            podman.wait_healthy(replica.url, replica.name)
        proxy = nginx(replicas, folder, lift_limits=False)
        yield Site(proxy.url, replicas, folder / "data")
    finally:
        if proxy is not None:
            proxy.stop()
        for replica in replicas:
            podman.remove(replica.name)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, empty cache); any console error or dialog fails the test."""
    with watched_page(browser, Console()) as opened:
        yield opened


def open_page(page: Page, url: str, heading: str | re.Pattern[str]) -> None:
    """Open ``url`` and wait until its heading is shown and the script run has finished."""
    page.goto(url)
    expect(page.locator("h1").first).to_have_text(heading)
    wait_ready(page)
