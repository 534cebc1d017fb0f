"""The shipped nginx config for real: two replicas on loopback behind Debian's nginx.

Only the deployment-specific lines are swapped (replica addresses, listen port, pid and temp paths);
the affinity, websocket, header and failover rules run exactly as shipped in deploy/nginx.conf.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench import servers
from tests.browser.conftest import Server, wait_ready

pytestmark = pytest.mark.browser

SECRET = "test-cookie-secret-shared-by-every-replica"  # noqa: S105 - a throwaway value for loopback servers


@dataclass
class Cluster:
    url: str
    replicas: list[Server]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, serve: Callable[..., Server]) -> Iterator[Cluster]:
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": SECRET, "DASHBOARD_PUBLIC": "1"}
    first = serve("replica1", env)
    replicas = [first, serve("replica2", env, data=first.data)]
    proxy = servers.nginx(replicas, tmp_path_factory.mktemp("nginx"), lift_limits=False)
    yield Cluster(proxy.url, replicas)
    proxy.stop()


def test_security_headers_and_route_cookie(cluster: Cluster) -> None:
    with urllib.request.urlopen(f"{cluster.url}/", timeout=10) as response:
        headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-eval'" not in csp
    assert re.match(r"dashboard_route=[0-9a-f]{32}; Path=/; HttpOnly", headers["Set-Cookie"])
    assert "Server: nginx/" not in str(headers)


def use_the_site(page: Page, url: str) -> None:
    """Open a page through nginx, change a filter over the websocket, and download a CSV over HTTP."""
    page.goto(f"{url}/side-effects")
    expect(page.locator("h1").first).to_have_text("Side effects", timeout=30_000)
    wait_ready(page)
    box = page.get_by_role("combobox", name="Timeframe")
    box.click()
    box.fill("long")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"timeframe=long-term"), timeout=30_000)
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^\d+ of \d+ rows match the filters\.$"))).to_be_visible()
    # The CSV is generated on the replica that holds the session and fetched over plain HTTP:
    # it only arrives if affinity sends that request to the same replica.
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").get_by_role("button").last.click()
    assert Path(download.value.path()).read_text(encoding="utf-8-sig").startswith("effect,")


def watch_console(page: Page) -> list[str]:
    """Console errors other than Streamlit's base-path probes (404s by design); CSP violations land here."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    return errors


def test_sessions_through_nginx_render_and_survive_a_filter_change(browser: Browser, cluster: Cluster) -> None:
    for _ in range(3):
        context = browser.new_context()
        page = context.new_page()
        errors = watch_console(page)
        use_the_site(page, cluster.url)
        context.close()
        assert errors == []


def test_new_sessions_still_work_when_one_replica_stops(browser: Browser, cluster: Cluster) -> None:
    cluster.replicas[0].stop()
    for _ in range(4):
        context = browser.new_context()
        use_the_site(context.new_page(), cluster.url)
        context.close()
    with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=10) as response:
        assert response.read() == b"ok"
