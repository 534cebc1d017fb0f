"""The container tier: the image of deploy/Dockerfile, built once per run and started for real.

Two containers with the production settings run behind the shipped deploy/nginx.conf (only its
replica addresses, port and site root swapped for loopback ones, as in the browser tier), with their
data folder a read-only bind mount of a host folder, as the README tells operators, and the image's
site volume (/srv/dashboard-site, where each replica bakes the public pages and the open data API) a
writable bind mount of one host folder both share, which nginx serves /api/ from, as in
deploy/compose.yaml. Debian's Chromium visits them through nginx. How podman is driven on this
machine: see podman.py.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.servers import APP_PREFIX, free_port, nginx
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
    """nginx's root: the baked landing page."""
    replicas: list[Replica]
    data: Path
    baked: Path
    """The host folder mounted at the image's /srv/dashboard-site; nginx's /api/ root is its current/ link."""

    @property
    def app(self) -> str:
        """The app through nginx, under its prefix."""
        return self.url + APP_PREFIX


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
    baked = folder / "baked"
    baked.mkdir()
    writable_by_the_image_user(baked)
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": SECRET, "DASHBOARD_APPOINTMENT_URL": APPOINTMENT}
    volumes = [f"{folder / 'data'}:/app/data:ro", f"{baked}:/srv/dashboard-site"]
    replicas: list[Replica] = []
    proxy = None
    try:
        for number in (1, 2):
            port = free_port()
            name = f"{podman.PREFIX}-app{number}"
            podman.run(name, port, env=env, volumes=volumes, image=image)
            replicas.append(Replica(name, f"http://127.0.0.1:{port}{APP_PREFIX}"))  # the image's base path
        for replica in replicas:
            podman.wait_healthy(replica.url, replica.name)
        proxy = nginx(replicas, folder, lift_limits=False, site=baked)
        yield Site(proxy.url, replicas, folder / "data", baked)
    finally:
        if proxy is not None:
            proxy.stop()
        for replica in replicas:
            podman.remove(replica.name)


def writable_by_the_image_user(folder: Path) -> None:
    """The containers run as uid 10001 with no user namespace: as root, give it the folder (as a new
    named volume gets it from the image); otherwise let anyone write there."""
    if os.geteuid() == 0:
        os.chown(folder, podman.UID, podman.UID)
    else:
        folder.chmod(0o777)


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
