"""The deployment files say what the README promises (no Docker engine runs here to build them)."""

from __future__ import annotations

import base64
import hashlib
import inspect
import re
from pathlib import Path

import streamlit
import uvicorn
import yaml

from bench.servers import APP_PREFIX
from dashboard.bake.pages import TOPICS
from dashboard.pagespecs import PATHS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def inline_script_hashes() -> set[str]:
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in re.findall(r"<script>(.*?)</script>", index, re.S)
    }


def csp(text: str) -> str:
    return re.search(r"Content-Security-Policy:? \"([^\"]+)\"", text).group(1)  # type: ignore[union-attr]


def k8s_documents() -> list[dict]:  # type: ignore[type-arg]
    return [d for d in yaml.safe_load_all((DEPLOY / "k8s" / "dashboard.yaml").read_text()) if d]


def app_documents() -> dict[str, dict]:  # type: ignore[type-arg]
    """The app's own objects in deploy/k8s/dashboard.yaml by kind (the site's nginx has its own names)."""
    return {d["kind"]: d for d in k8s_documents() if d["metadata"]["name"] in ("ketamine-dashboard", "dashboard-site")}


def test_csp_allows_exactly_the_installed_streamlit_inline_script() -> None:
    hashes = inline_script_hashes()
    assert hashes
    for text in (
        (DEPLOY / "nginx.conf").read_text(encoding="utf-8"),
        (DEPLOY / "k8s" / "dashboard.yaml").read_text(encoding="utf-8"),
    ):
        policy = csp(text)
        assert set(re.findall(r"'sha256-[^']+'", policy)) == hashes
        assert "'unsafe-eval'" not in policy
        assert "script-src 'self' 'sha256" in policy
        assert "frame-ancestors 'none'" in policy


def test_nginx_and_k8s_send_the_same_policy() -> None:
    k8s = (DEPLOY / "k8s" / "dashboard.yaml").read_text(encoding="utf-8")
    assert csp((DEPLOY / "nginx.conf").read_text(encoding="utf-8")) == csp(k8s)


def test_dockerfile_is_slim_non_root_public_and_health_checked() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    assert "-r requirements.txt -c constraints.txt" in text
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users
    assert users[-1] not in ("root", "0")
    assert "DASHBOARD_PUBLIC=1" in text
    assert "COPY data ./data" in text
    assert re.search(r"^HEALTHCHECK .*\n?.*_stcore/health", text, re.M)
    assert "STREAMLIT_SERVER_BASE_URL_PATH" in re.search(r"^HEALTHCHECK .*\n.*", text, re.M).group(0)  # type: ignore[union-attr]


def test_compose_runs_replicas_with_one_cookie_secret_behind_the_shipped_nginx() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    replicas = [s for name, s in services.items() if name.startswith("app")]
    assert len(replicas) >= 2
    secrets = {s["environment"]["STREAMLIT_SERVER_COOKIE_SECRET"] for s in replicas}
    assert len(secrets) == 1
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["proxy"]["volumes"]
    upstream = re.findall(r"server (app\d+):8501", (DEPLOY / "nginx.conf").read_text(encoding="utf-8"))
    assert sorted(upstream) == sorted(name for name in services if name.startswith("app"))


def test_kubernetes_manifests_probe_health_and_keep_sessions_sticky() -> None:
    documents = app_documents()
    pod = documents["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == f"{APP_PREFIX}/_stcore/health"
    assert container["livenessProbe"]["httpGet"]["path"] == f"{APP_PREFIX}/_stcore/health"
    assert pod["securityContext"]["runAsNonRoot"] is True
    env = {e["name"]: e for e in container["env"]}
    assert env["DASHBOARD_PUBLIC"]["value"] == "1"
    annotations = ingress("ketamine-dashboard")["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert documents["Service"]["spec"]["selector"] == documents["Deployment"]["spec"]["selector"]["matchLabels"]


def test_proxies_drop_idle_connections_to_a_replica_before_the_replica_does() -> None:
    """Streamlit serves on uvicorn, which closes a connection idle for ``timeout_keep_alive`` seconds.
    A proxy that keeps it longer can send a request down a connection the replica is closing; its
    retry goes to another replica, which holds neither the session nor its download."""
    replica_idle_s = inspect.signature(uvicorn.Config).parameters["timeout_keep_alive"].default
    upstream = re.search(r"upstream dashboard \{(.*?)\}", (DEPLOY / "nginx.conf").read_text(encoding="utf-8"), re.S)
    assert upstream is not None
    nginx_idle = re.search(r"^\s*keepalive_timeout (\d+)s;", upstream.group(1), re.M)
    assert nginx_idle is not None, "the upstream block sets no keepalive_timeout (nginx's default is 60 s)"
    assert int(nginx_idle.group(1)) < replica_idle_s
    controller = yaml.safe_load((DEPLOY / "k8s" / "ingress-nginx-controller.yaml").read_text(encoding="utf-8"))
    assert int(controller["data"]["upstream-keepalive-timeout"]) < replica_idle_s


def ingress(name: str) -> dict:  # type: ignore[type-arg]
    return next(d for d in manifests() if d["kind"] == "Ingress" and d["metadata"]["name"] == name)


def test_kubernetes_rate_limits_the_site_but_not_its_hashed_static_files() -> None:
    """As in deploy/nginx.conf: a first visit fetches a hundred or more static files at once."""
    site, static = ingress("ketamine-dashboard"), ingress("ketamine-dashboard-static")
    assert int(site["metadata"]["annotations"]["nginx.ingress.kubernetes.io/limit-rps"]) > 0
    assert not any("limit" in key for key in static["metadata"].get("annotations", {}))
    (site_rule,), (static_rule,) = site["spec"]["rules"], static["spec"]["rules"]
    assert static_rule["host"] == site_rule["host"]
    assert static["spec"]["tls"] == site["spec"]["tls"]
    assert [p["path"] for p in static_rule["http"]["paths"]] == [f"{APP_PREFIX}/static/"]
    assert static_rule["http"]["paths"][0]["backend"] == site_rule["http"]["paths"][0]["backend"]


def location_blocks(text: str) -> dict[str, str]:
    """The body of each ``location`` block of deploy/nginx.conf (they hold no nested blocks)."""
    return dict(re.findall(r"location\s+([^{]+?)\s*\{([^}]*)\}", text))


def test_nginx_sets_every_header_at_server_level_so_every_location_inherits_them() -> None:
    # nginx drops the server's add_header and proxy_set_header lines in a location that sets any of
    # its own: the replicas would lose Host and X-Forwarded-*, or responses their security headers.
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    blocks = location_blocks(text)
    assert {"= /app/_stcore/stream", "/app/", "/"} <= set(blocks)
    for name, body in blocks.items():
        assert "add_header" not in body, name
        assert "proxy_set_header" not in body, name
    for header in ("Host $http_host", "X-Forwarded-For", "Upgrade $http_upgrade", "Connection $connection_upgrade"):
        assert f"proxy_set_header {header}" in text


def test_nginx_compresses_text_and_caches_only_hashed_static_files() -> None:
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"^\s*gzip on;", text, re.M)
    assert "gzip_proxied any;" in text  # every response is proxied: without it nothing is compressed
    types = re.search(r"gzip_types([^;]+);", text).group(1).split()  # type: ignore[union-attr]
    assert {"text/javascript", "application/javascript", "text/css", "application/json", "image/svg+xml"} <= set(types)
    cache = re.search(r"map \$uri \$static_cache_control \{([^}]*)\}", text).group(1)  # type: ignore[union-attr]
    assert '~^/app/static/  "public, max-age=31536000, immutable";' in cache
    assert 'default     "";' in cache
    assert "proxy_hide_header Cache-Control;" in location_blocks(text)["/app/static/"]


def manifests() -> list[dict]:  # type: ignore[type-arg]
    return [d for path in sorted((DEPLOY / "k8s").glob("*.yaml")) for d in yaml.safe_load_all(path.read_text()) if d]


def test_kubernetes_runs_in_its_own_namespace_without_an_api_token_behind_a_network_policy() -> None:
    documents = app_documents()
    namespace = documents["Namespace"]["metadata"]["name"]
    for document in k8s_documents():
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == namespace, document["metadata"]["name"]
    pod = documents["Deployment"]["spec"]["template"]
    assert pod["spec"]["automountServiceAccountToken"] is False
    policy = documents["NetworkPolicy"]["spec"]
    assert policy["podSelector"]["matchLabels"] == pod["metadata"]["labels"]
    assert sorted(policy["policyTypes"]) == ["Egress", "Ingress"]
    assert policy.get("egress", []) == []
    (rule,) = policy["ingress"]
    assert rule["ports"] == [{"protocol": "TCP", "port": 8501}]
    assert rule["from"][0]["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "ingress-nginx"}
    controller = next(d for d in manifests() if d["metadata"]["name"] == "ingress-nginx-controller")
    assert controller["data"]["add-headers"] == f"{namespace}/dashboard-response-headers"
    assert controller["data"]["use-gzip"] == "true"


def test_kubernetes_cookie_secret_is_a_mounted_config_file_that_nothing_overrides() -> None:
    documents = app_documents()
    pod = documents["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert not any("COOKIE" in e["name"] for e in container.get("env", []))
    volume = next(v for v in pod["volumes"] if "secret" in v)
    assert volume["secret"]["items"] == [{"key": "config.toml", "path": "config.toml"}]
    mount = next(m for m in container["volumeMounts"] if m["name"] == volume["name"])
    # Streamlit's global config file (~ is the image user's home); readable by the pod's group.
    assert mount == {"name": volume["name"], "mountPath": "/home/dashboard/.streamlit", "readOnly": True}
    assert pod["securityContext"]["fsGroup"] == pod["securityContext"]["runAsUser"]
    # The project's config file is read after the global one: it must not set a cookie secret.
    assert "cookieSecret" not in (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")


def test_nginx_serves_the_open_data_api_as_cacheable_files_any_site_may_read() -> None:
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    api = location_blocks(text)["/api/"]
    assert "proxy_pass" not in api  # files from the baked folder, never a replica
    assert re.search(r"^\s*root /\S+;", api, re.M)
    assert "etag on;" in api
    types = re.search(r"\btypes \{([^}]*)\}", text).group(1).split()  # type: ignore[union-attr]
    assert dict(zip(types[1::2], types[0::2], strict=True)) == {
        "html;": "text/html",
        "json;": "application/json",
        "csv;": "text/csv",
        "txt;": "text/plain",
        "xml;": "application/xml",
    }
    gzipped = re.search(r"gzip_types([^;]+);", text).group(1).split()  # type: ignore[union-attr]
    assert {"application/json", "text/csv"} <= set(gzipped)
    cache = re.search(r"map \$uri \$static_cache_control \{([^}]*)\}", text).group(1)  # type: ignore[union-attr]
    assert '~^/api/     "public, max-age=300";' in cache
    origin = re.search(r"map \$uri \$api_allow_origin \{([^}]*)\}", text).group(1)  # type: ignore[union-attr]
    assert '~^/api/     "*";' in origin
    assert 'default     "";' in origin  # no other path is shared across origins
    assert "add_header Access-Control-Allow-Origin $api_allow_origin always;" in text
    cookie = re.search(r"map \$uri \$route_cookie \{([^}]*)\}", text).group(1)  # type: ignore[union-attr]
    assert '~^/app/  "dashboard_route=$route_key; Path=/app/; HttpOnly; SameSite=Lax";' in cookie
    assert 'default  "";' in cookie  # the baked pages and the API come from no replica


SITE = "/srv/dashboard-site"
"""The baked site's folder: DASHBOARD_SITE_DIR in the image, the volume the app writes, nginx's /api/ root."""


def test_the_image_bakes_the_site_into_a_volume_the_app_user_owns() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(rf"^\s+DASHBOARD_SITE_DIR={SITE} \\$", text, re.M)
    assert re.search(rf"^VOLUME {SITE}$", text, re.M)
    user = re.findall(r"^USER (\S+)$", text, re.M)[-1]
    assert f"chown {user}:{user} {SITE}" in text  # a new volume takes the folder's owner from the image
    assert "chown" not in text.replace(f"chown {user}:{user} {SITE}", "")  # nothing else is the app's
    api = location_blocks((DEPLOY / "nginx.conf").read_text(encoding="utf-8"))["/api/"]
    assert re.search(rf"^\s*root {SITE}/current;", api, re.M)


def test_compose_shares_the_site_volume_writable_for_the_replicas_and_read_only_for_nginx() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    replicas = [s for name, s in services.items() if name.startswith("app")]
    (volume,) = compose["volumes"]
    for replica in replicas:
        assert f"{volume}:{SITE}" in replica["volumes"]  # no mode: read-write
        assert replica["read_only"] is True  # the volume is the one place the app writes besides tmpfs
    assert f"{volume}:{SITE}:ro" in services["proxy"]["volumes"]
    assert not [v for v in services["proxy"]["volumes"] if not v.endswith(":ro")]


def test_kubernetes_pods_bake_the_site_into_a_shared_claim() -> None:
    documents = app_documents()
    pod = documents["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    (mount,) = (m for m in container["volumeMounts"] if m["mountPath"] == SITE)
    assert not mount.get("readOnly", False)
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    claim = documents["PersistentVolumeClaim"]
    assert volume["persistentVolumeClaim"] == {"claimName": claim["metadata"]["name"]}
    # Every replica writes and the serving nginx reads it, on whatever nodes they run.
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    assert pod["securityContext"]["fsGroup"] == 10001  # the claim is writable by the app's group


def streamlit_index() -> str:
    return (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")


def test_the_landing_page_takes_the_root_and_the_app_lives_under_its_prefix_everywhere() -> None:
    """One prefix in the image, the baked links, nginx and the Kubernetes routes."""
    docker = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert f"STREAMLIT_SERVER_BASE_URL_PATH={APP_PREFIX.strip('/')}" in docker
    assert f"DASHBOARD_APP_BASE={APP_PREFIX}/" in docker
    blocks = location_blocks((DEPLOY / "nginx.conf").read_text(encoding="utf-8"))
    assert "try_files /index.html" in blocks["= /"]
    assert "proxy_pass http://dashboard;" in blocks[f"{APP_PREFIX}/"]
    # Every other path is an old link to the app: the same path and query under the prefix.
    assert blocks["/"].split() == ["return", "301", f"{APP_PREFIX}$request_uri;"]
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    old_home = re.search(r"map \$request_uri \$old_home_link \{([^}]*)\}", text).group(1)  # type: ignore[union-attr]
    assert f"~^/\\?   {APP_PREFIX}$request_uri;" in old_home


def test_the_apps_shell_points_to_the_plain_page_of_each_view_without_javascript() -> None:
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    app = location_blocks(text)[f"{APP_PREFIX}/"]
    patterns = re.findall(r"sub_filter '([^']+)' '([^']+)';", app)
    index = streamlit_index()
    for found, _ in patterns:
        assert index.count(found) == 1, f"the installed Streamlit's page has no single {found!r} to edit"
    (noscript, pointer), (title, described) = patterns
    assert (noscript, title) == ("<noscript>", "<title>Streamlit</title>")
    assert pointer.startswith("<noscript><p>")
    assert 'href="$plain_page"' in pointer
    assert re.fullmatch(r'<title>[^<]+</title><meta name="description" content="[^"]+">', described)
    mapping = re.search(r"map \$uri \$plain_page \{([^}]*)\}", text).group(1)  # type: ignore[union-attr]
    entries = dict(line.split() for line in mapping.strip().splitlines())
    baked = {f"/{topic.file}" for topic in TOPICS}
    for pattern, target in entries.items():
        if pattern == "default":
            assert target == "/;"
            continue
        path = re.fullmatch(rf"~\^{APP_PREFIX}/([a-z-]+)/\?\$", pattern)
        assert path is not None, pattern
        assert path.group(1) in PATHS, pattern  # an app page that exists
        assert target.rstrip(";") in baked, target  # a page the bake writes


def site_config() -> str:
    """The site's nginx server block, from the manifest's ConfigMap."""
    config = next(
        d for d in k8s_documents() if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "dashboard-site-nginx"
    )
    return str(config["data"]["site.conf"])


def routes() -> dict[str, str]:
    """Each path of the manifest's Ingress rules and the Service it is sent to."""
    found = {}
    for document in k8s_documents():
        if document["kind"] == "Ingress":
            for rule in document["spec"]["rules"]:
                for path in rule["http"]["paths"]:
                    found[path["path"]] = path["backend"]["service"]["name"]
    return found


def test_kubernetes_routes_the_app_under_its_prefix_and_everything_else_to_the_baked_site() -> None:
    assert routes() == {
        APP_PREFIX: "ketamine-dashboard",
        f"{APP_PREFIX}/static/": "ketamine-dashboard",
        "/": "ketamine-dashboard-site",
    }
    site = {d["kind"]: d for d in k8s_documents() if d["metadata"]["name"] == "ketamine-dashboard-site"}
    pod = site["Deployment"]["spec"]["template"]
    assert site["Service"]["spec"]["selector"] == pod["metadata"]["labels"]
    assert site["NetworkPolicy"]["spec"]["podSelector"]["matchLabels"] == pod["metadata"]["labels"]
    (container,) = pod["spec"]["containers"]
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    # The claim the app's replicas bake into, read-only, where the config's root expects it.
    assert volumes["site"]["persistentVolumeClaim"] == {"claimName": "dashboard-site", "readOnly": True}
    assert mounts["site"] == {"name": "site", "mountPath": SITE, "readOnly": True}
    assert f"root {SITE}/current;" in site_config()
    assert volumes["config"]["configMap"]["name"] == "dashboard-site-nginx"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    probe = container["readinessProbe"]["httpGet"]["path"]
    assert f"location = {probe} " in site_config()


def test_the_sites_nginx_in_kubernetes_gives_the_baked_files_the_same_routes_and_headers_as_the_shipped_one() -> None:
    """Two configs serve the same files (compose's nginx and the Kubernetes site pods): the maps that
    decide caching, cross-origin reads and old links, and the routes, must not drift apart."""
    shipped, site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8"), site_config()

    def lines(text: str, name: str) -> set[str]:
        body = re.search(rf"map \S+ \${name} \{{([^}}]*)\}}", text).group(1)  # type: ignore[union-attr]
        return {" ".join(line.split()) for line in body.strip().splitlines()}

    baked_cache = {line for line in lines(shipped, "static_cache_control") if "/app/" not in line}
    assert lines(site, "site_cache_control") == baked_cache
    assert lines(site, "api_allow_origin") == lines(shipped, "api_allow_origin")
    assert lines(site, "old_home_link") == lines(shipped, "old_home_link")
    shipped_blocks, site_blocks = location_blocks(shipped), location_blocks(site)
    for route in ("= /", "@no_bake_yet", "/api/", "~ ^/[^/]+\\.html$", "= /robots.txt", "= /sitemap.xml", "/"):
        assert route in site_blocks, route
        assert route in shipped_blocks, route
    assert site_blocks["/"].split() == shipped_blocks["/"].split()
    assert site_blocks["@no_bake_yet"].split() == shipped_blocks["@no_bake_yet"].split()
