"""The baked public site as a visitor and a data user meet it: every page passes axe with no
violation at all, reads on a 390 px phone without sideways scrolling, shows its icon arrays; the
open data API comes through the shipped nginx with its content types, CORS, caching and gzip; the
Kubernetes manifest's site nginx, run here with Debian's nginx, routes and serves them the same way."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from bench import servers
from dashboard.bake import publish, site
from dashboard.catalog import load_catalog
from dashboard.settings import Settings
from tests.browser.conftest import ROOT
from tests.browser.test_accessibility import PHONE, axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def baked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site published the way the running app publishes it (a whole bake behind ``current``)."""
    root = tmp_path_factory.mktemp("site")
    settings = Settings.from_env({"DASHBOARD_APP_BASE": f"{servers.APP_PREFIX}/"})  # as the image sets it
    build = publish.publish(root, load_catalog(ROOT / "data"), lambda c, out: site.bake(c, out, settings))
    assert build is not None
    return root


def pages(root: Path) -> list[Path]:
    return sorted((root / "current").glob("*.html"))


def test_every_baked_page_has_no_axe_violation(browser: Browser, baked: Path) -> None:
    found = {}
    page = browser.new_page()
    for html in pages(baked):
        page.goto(html.as_uri())
        violations = axe_violations_all(page)
        if violations:
            found[html.name] = violations
    page.close()
    assert len(pages(baked)) >= 8
    assert found == {}, json.dumps(found, indent=1)


def axe_violations_all(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """Every violation, whatever its impact (the baked pages are plain HTML: none is acceptable)."""
    axe_violations(page)  # injects axe-core and runs it once
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )


def test_a_phone_reads_every_page_without_sideways_scrolling_and_sees_the_icon_arrays(
    browser: Browser, baked: Path
) -> None:
    page = browser.new_page(viewport=PHONE)
    arrays = 0
    for html in pages(baked):
        page.goto(html.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{html.name} is {width} px wide"
        assert page.locator("script").count() == 0, html.name
        for svg in page.locator("main svg").all():
            box = svg.bounding_box()
            assert box is not None, html.name
            assert min(box["width"], box["height"]) > 0, html.name
            assert box["x"] + box["width"] <= PHONE["width"] + 1, f"{html.name}: an icon array runs off the screen"
            arrays += 1
    page.close()
    assert arrays >= 4  # the headline benefits and harms of both drugs


@pytest.fixture(scope="module")
def proxy(baked: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped nginx config on loopback, its site root pointed at the baked site (the app
    replicas are not needed for /api/: nginx serves those files itself)."""
    workdir = tmp_path_factory.mktemp("nginx")
    port = servers.free_port()
    config = servers.loopback_nginx_config(["127.0.0.1:9", "127.0.0.1:9"], port, workdir, lift_limits=True, site=baked)
    proxy = servers.run_nginx(config, workdir, port, ready="/api/index.json")
    yield proxy.url
    proxy.stop()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, b""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("side_effects.csv", "text/csv"),
        ("outcomes-evidence.json", "application/json"),
        ("index.json", "application/json"),
    ],
)
def test_the_api_comes_through_nginx_with_its_headers(proxy: str, baked: Path, path: str, kind: str) -> None:
    status, headers, body = fetch(f"{proxy}/api/{path}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-type"].startswith(kind)
    assert headers["access-control-allow-origin"] == "*"
    assert "max-age=300" in headers["cache-control"]
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (baked / "current" / "api" / path).read_bytes()
    etag = headers["etag"]
    again, _, _ = fetch(f"{proxy}/api/{path}", {"If-None-Match": etag})
    assert again == 304


def test_a_republished_bake_is_what_the_api_serves_next(proxy: str, baked: Path) -> None:
    """A new bake swapped in by one rename is served at once, with no reload of nginx."""
    status, _, before = fetch(f"{proxy}/api/side_effects.metadata.json")
    assert status == 200
    assert json.loads(before)["licence"] == "not declared"
    settings = Settings.from_env({"DASHBOARD_DATA_LICENCE": "CC-BY-4.0"})
    catalog = load_catalog(ROOT / "data")
    assert publish.publish(baked, catalog, lambda c, out: site.bake(c, out, settings)) is not None
    _, _, metadata = fetch(f"{proxy}/api/side_effects.metadata.json")
    assert json.loads(metadata)["licence"] == "CC-BY-4.0"


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("", "index.html"),  # a visitor to the site's root gets the landing page
        ("index.html", "index.html"),
        ("side-effects.html", "side-effects.html"),
        ("robots.txt", "robots.txt"),
        ("sitemap.xml", "sitemap.xml"),
    ],
)
def test_the_baked_pages_come_through_nginx_beside_the_app(proxy: str, baked: Path, path: str, file: str) -> None:
    """The public pages are plain files nginx serves itself: compressed, cacheable, with no route
    cookie and the site's security headers; the app's own paths are untouched."""
    status, headers, body = fetch(f"{proxy}/{path}", {"Accept-Encoding": "gzip"})
    assert status == 200
    kind = {"html": "text/html", "txt": "text/plain", "xml": "application/xml"}[file.rsplit(".", 1)[1]]
    assert headers["content-type"].startswith(kind)
    served = (baked / "current" / file).read_bytes()
    if len(served) >= 1024:  # nginx's gzip_min_length: smaller files go as they are
        assert headers["content-encoding"] == "gzip"
        body = gzip.decompress(body)
    assert body == served
    assert "set-cookie" not in headers
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    if file.endswith(".html"):
        assert "max-age=300" in headers["cache-control"]


@pytest.fixture(scope="module")
def kubernetes_site(baked: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server block of deploy/k8s/dashboard.yaml's site ConfigMap, as the nginx image includes it
    (inside ``http {}``), on loopback with the baked site as its root; nothing else is changed."""
    manifest = (ROOT / "deploy" / "k8s" / "dashboard.yaml").read_text(encoding="utf-8")
    (config_map,) = (d for d in yaml.safe_load_all(manifest) if d and d["metadata"]["name"] == "dashboard-site-nginx")
    workdir = tmp_path_factory.mktemp("k8s-site")
    port = servers.free_port()
    server = config_map["data"]["site.conf"]
    assert "listen 8080;" in server
    server = server.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    server = server.replace("root /srv/dashboard-site/current;", f"root {baked / 'current'};")
    temp = "\n".join(f"{k}_temp_path {workdir / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = workdir / "nginx.conf"
    config.write_text(
        f"{user}pid {workdir / 'nginx.pid'};\nerror_log {workdir / 'error.log'} warn;\n"
        f"events {{}}\nhttp {{\naccess_log off;\n{temp}\n{server}\n}}\n"
    )
    proxy = servers.run_nginx(config, workdir, port, ready="/healthz")
    yield proxy.url
    proxy.stop()


def redirect_target(url: str) -> tuple[int, str]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    response = connection.getresponse()
    location = response.getheader("Location") or ""
    connection.close()
    return response.status, location


@pytest.mark.parametrize(("front", "name"), [("proxy", "the shipped nginx"), ("kubernetes_site", "the k8s site nginx")])
def test_the_landing_page_the_baked_files_and_old_links_route_the_same_through_both_nginx_configs(
    front: str, name: str, baked: Path, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(front)
    status, headers, body = fetch(f"{url}/", {"Accept-Encoding": "gzip"})
    assert status == 200, name
    assert headers["content-type"].startswith("text/html"), name
    landing = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    assert landing == (baked / "current" / "index.html").read_bytes(), name
    status, headers, body = fetch(f"{url}/api/side_effects.csv")
    assert (status, headers["access-control-allow-origin"]) == (200, "*"), name
    assert "max-age=300" in headers["cache-control"], name
    assert body == (baked / "current" / "api" / "side_effects.csv").read_bytes(), name
    status, location = redirect_target(f"{url}/side-effects?drug=esketamine&timeframe=acute")
    assert status == 301, name
    assert location.endswith("/app/side-effects?drug=esketamine&timeframe=acute"), name
    status, location = redirect_target(f"{url}/?drug=ketamine")
    assert status == 301, name
    assert location.endswith("/app/?drug=ketamine"), name
