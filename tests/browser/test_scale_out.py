"""The shipped nginx config for real: two replicas on loopback behind Debian's nginx.

Only the deployment-specific lines are swapped (replica addresses, listen port, pid and temp paths);
the affinity, websocket, header and failover rules run exactly as shipped in deploy/nginx.conf.
"""

from __future__ import annotations

import gzip
import http.client
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from bench import servers
from tests.browser.conftest import Server, wait_ready
from tests.browserkit import draw_charts

IMMUTABLE = "public, max-age=31536000, immutable"
SECURITY_HEADERS = ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Permissions-Policy")

pytestmark = pytest.mark.browser

SECRET = "test-cookie-secret-shared-by-every-replica"  # noqa: S105 - a throwaway value for loopback servers


@dataclass
class Cluster:
    url: str
    """The app, under its prefix."""
    replicas: list[Server]
    root: str
    """The site's root (the baked landing page's address)."""
    nginx_log: Path | None = None

    def logs(self, lines: int = 15) -> str:
        """The last lines of nginx's error log and of each replica's log (for a failure's message)."""
        logs = [("nginx", self.nginx_log)] + [(r.name, r.log) for r in self.replicas]
        return "\n".join(f"--- {name}:\n" + "\n".join(tail(path, lines)) for name, path in logs)


def tail(path: Path | None, lines: int) -> list[str]:
    if path is None or not path.exists():
        return ["(no log)"]
    return path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, serve: Callable[..., Server]) -> Iterator[Cluster]:
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": SECRET, "DASHBOARD_PUBLIC": "1", **servers.BEHIND_NGINX}
    first = serve("replica1", env)
    replicas = [first, serve("replica2", env, data=first.data)]
    workdir = tmp_path_factory.mktemp("nginx")
    proxy = servers.nginx(replicas, workdir, lift_limits=False)
    yield Cluster(proxy.app, replicas, proxy.url, workdir / "error.log")
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
    assert re.match(r"dashboard_route=[0-9a-f]{32}; Path=/app/; HttpOnly", headers["Set-Cookie"])
    assert "Server: nginx/" not in str(headers)


def fetch(url: str, encoding: str = "gzip") -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def assert_security_headers(headers: dict[str, str]) -> None:
    for name in SECURITY_HEADERS:
        assert headers.get(name.lower()), name
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_static_files_compressed_and_cached_for_a_year_the_page_not(cluster: Cluster) -> None:
    html, page_headers = fetch(f"{cluster.url}/side-effects")
    assert_security_headers(page_headers)
    assert "immutable" not in page_headers.get("cache-control", "")
    page = gzip.decompress(html) if page_headers.get("content-encoding") == "gzip" else html
    assets = re.findall(rb'(?:src|href)="\./(static/(?:js|css)/[^"]+\.(?:js|css))"', page)
    assert any(a.endswith(b".js") for a in assets)
    assert any(a.endswith(b".css") for a in assets)
    for asset in (next(a for a in assets if a.endswith(suffix)).decode() for suffix in (b".js", b".css")):
        body, headers = fetch(f"{cluster.url}/{asset}")
        assert headers.get("content-encoding") == "gzip", asset
        assert "accept-encoding" in headers.get("vary", "").lower()
        assert headers["cache-control"] == IMMUTABLE, asset
        assert_security_headers(headers)
        # The same bytes as the replica serves, only smaller on the wire.
        original, direct = fetch(f"{cluster.replicas[0].url}/{asset}", encoding="identity")
        assert gzip.decompress(body) == original
        assert len(body) < len(original) / 2
        # The Kubernetes ingress adds no cache header of its own and relies on Streamlit's (see
        # deploy/k8s/dashboard.yaml): the replica itself marks hashed files immutable, the page not.
        assert "immutable" in direct["cache-control"]
    _, direct_page = fetch(f"{cluster.replicas[0].url}/side-effects", encoding="identity")
    assert "immutable" not in direct_page.get("cache-control", "")
    # Not compressed for a client that does not ask for it.
    _, plain = fetch(f"{cluster.url}/{assets[0].decode()}", encoding="identity")
    assert "content-encoding" not in plain


def first_visit(browser: Browser, url: str) -> tuple[int, list[str]]:
    """A visitor with an empty cache opens a page: how many requests it made, and those refused."""
    context = browser.new_context()
    page = context.new_page()
    made: list[str] = []
    refused: list[str] = []
    page.on("request", lambda r: made.append(r.url))
    page.on("response", lambda r: refused.append(f"{r.status} {r.url}") if r.status in (429, 503) else None)
    page.goto(f"{url}/side-effects")
    expect(page.locator("h1").first).to_have_text("Side effects", timeout=30_000)
    wait_ready(page)
    context.close()
    return len(made), refused


def test_first_visits_from_one_address_are_not_refused(browser: Browser, cluster: Cluster) -> None:
    """A clinic's wifi or a phone carrier puts many visitors behind one address, and a first visit asks
    for a hundred or more static files at once: those are never rate-limited, the page and the
    endpoints behind it are."""
    visits = [first_visit(browser, cluster.url) for _ in range(6)]
    assert [refused for _, refused in visits] == [[]] * 6
    assert sum(made for made, _ in visits) > 300  # more than the page's rate and burst would let through
    health = f"{cluster.url}/_stcore/health"
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda _: status_of(health), range(400)))
    assert statuses.count(503) > 0  # the rate limit still guards everything but the hashed static files
    assert statuses.count(200) >= 200


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def use_the_site(page: Page, url: str, cluster: Cluster | None = None) -> None:
    """Open a page through nginx, change a filter over the websocket, and download a CSV over HTTP.
    If the filters never appear, the failure says what the visitor's page showed, which requests
    failed, and what nginx and the replicas logged."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}: {r.failure}"))
    page.on("console", lambda m: failed.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.goto(f"{url}/side-effects")
    expect(page.locator("h1").first).to_have_text("Side effects", timeout=30_000)
    wait_ready(page)
    box = page.get_by_role("combobox", name="Timeframe")
    try:
        expect(box).to_be_visible(timeout=30_000)
    except AssertionError as error:
        raise AssertionError(what_went_wrong(page, "no Timeframe filter", failed, cluster)) from error
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
    if download.value.failure() is not None:
        raise AssertionError(what_went_wrong(page, f"download {download.value.failure()}", failed, cluster))
    assert Path(download.value.path()).read_text(encoding="utf-8-sig").startswith("effect,")


def what_went_wrong(page: Page, failure: str, failed: list[str], cluster: Cluster | None) -> str:
    """A failure's message: what the visitor's page showed, which requests failed, and what nginx
    and the replicas logged."""
    app = page.get_by_test_id("stApp")
    state = app.get_attribute("data-test-script-state") if app.count() else None
    main = page.get_by_test_id("stMain")
    shown = (main if main.count() else page.locator("body")).inner_text()[:2000]
    logs = cluster.logs() if cluster is not None else ""
    return (
        f"{failure} (script state {state!r}); the page showed:\n{shown}\n"
        "failed requests and console errors:\n" + "\n".join(failed[-30:]) + f"\n{logs}"
    )


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
        use_the_site(page, cluster.url, cluster)
        context.close()
        assert errors == []


def test_charts_are_drawn_through_nginx_under_its_content_security_policy(browser: Browser, cluster: Cluster) -> None:
    """A chart waits for a small script of the app's own (dashboard/ui/inview.py), which Streamlit runs
    as a module from a blob: address. If the policy refused it, no chart would ever be drawn."""
    context = browser.new_context()
    page = context.new_page()
    errors = watch_console(page)
    page.goto(f"{cluster.url}/side-effects")
    expect(page.locator("h1").first).to_have_text("Side effects", timeout=30_000)
    wait_ready(page)
    assert draw_charts(page) == 1
    context.close()
    assert errors == []


def redirect(url: str) -> tuple[int, str]:
    """The status and the target (path and query) of a response, without following it."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    response = connection.getresponse()
    target = urlsplit(response.getheader("Location") or "")
    connection.close()
    return response.status, target.path + (f"?{target.query}" if target.query else "")


def test_old_links_to_the_app_still_lead_to_the_same_view_under_its_prefix(browser: Browser, cluster: Cluster) -> None:
    """Before the landing page took /, the app's pages lived at the site's root: links to them were
    shared and bookmarked, so each one goes to the same page and filters under /app/."""
    assert redirect(f"{cluster.root}/side-effects?drug=esketamine&timeframe=acute") == (
        301,
        "/app/side-effects?drug=esketamine&timeframe=acute",
    )
    assert redirect(f"{cluster.root}/?drug=ketamine") == (301, "/app/?drug=ketamine")  # the old overview
    assert redirect(f"{cluster.root}/_stcore/health") == (301, "/app/_stcore/health")  # an old health monitor
    assert redirect(f"{cluster.root}/app") == (301, "/app/")
    assert redirect(f"{cluster.root}/") == (302, "/app/")  # no bake on this site yet: the app's overview
    page = browser.new_page()
    page.goto(f"{cluster.root}/side-effects?timeframe=long-term")
    expect(page.locator("h1").first).to_have_text("Side effects", timeout=30_000)
    wait_ready(page)
    assert urlsplit(page.url).path == "/app/side-effects"
    expect(page).to_have_url(re.compile(r"timeframe=long-term"))
    expect(page.get_by_text(re.compile(r"^\d+ of \d+ rows match the filters\.$"))).to_be_visible()
    page.close()


@pytest.mark.parametrize(("path", "plain"), [("dosing", "/how-given.html"), ("", "/"), ("data", "/")])
def test_without_javascript_the_app_points_to_its_plain_language_page(cluster: Cluster, path: str, plain: str) -> None:
    """The app's page is an empty shell until its script runs: a client without JavaScript (a link
    preview, a reader with scripts off) gets a pointer to the baked page that says the same in plain
    words, and a real title and description."""
    html, _ = fetch(f"{cluster.url}/{path}")
    shell = gzip.decompress(html).decode("utf-8")
    noscript = re.search(r"<noscript>(.*?)</noscript>", shell, re.S)
    assert noscript is not None
    pointer = re.search(r'<a href="([^"]+)">the plain-language pages</a>', noscript.group(1))
    assert pointer is not None
    assert pointer.group(1) == plain
    title = re.search(r"<title>([^<]+)</title>", shell)
    assert title is not None
    assert title.group(1).startswith("Ketamine and esketamine for depression")
    description = re.search(r'<meta name="description" content="([^"]+)">', shell)
    assert description is not None
    assert "not medical advice" in description.group(1)


def test_new_sessions_still_work_when_one_replica_stops(browser: Browser, cluster: Cluster) -> None:
    cluster.replicas[0].stop()
    for _ in range(4):
        context = browser.new_context()
        use_the_site(context.new_page(), cluster.url, cluster)
        context.close()
    with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=10) as response:
        assert response.read() == b"ok"
