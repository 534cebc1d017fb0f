"""The deployment files say what the README promises (no Docker engine runs here to build them)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import streamlit
import yaml

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
    assert re.search(r"^HEALTHCHECK .*\n?.*/_stcore/health", text, re.M)


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
    documents = {d["kind"]: d for d in yaml.safe_load_all((DEPLOY / "k8s" / "dashboard.yaml").read_text())}
    pod = documents["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert container["livenessProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert pod["securityContext"]["runAsNonRoot"] is True
    env = {e["name"]: e for e in container["env"]}
    assert env["DASHBOARD_PUBLIC"]["value"] == "1"
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    annotations = documents["Ingress"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert documents["Service"]["spec"]["selector"] == documents["Deployment"]["spec"]["selector"]["matchLabels"]


def location_blocks(text: str) -> dict[str, str]:
    """The body of each ``location`` block of deploy/nginx.conf (they hold no nested blocks)."""
    return dict(re.findall(r"location\s+([^{]+?)\s*\{([^}]*)\}", text))


def test_nginx_sets_every_header_at_server_level_so_every_location_inherits_them() -> None:
    # nginx drops the server's add_header and proxy_set_header lines in a location that sets any of
    # its own: the replicas would lose Host and X-Forwarded-*, or responses their security headers.
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    blocks = location_blocks(text)
    assert {"= /_stcore/stream", "/"} <= set(blocks)
    for name, body in blocks.items():
        assert "add_header" not in body, name
        assert "proxy_set_header" not in body, name
    for header in ("Host $http_host", "X-Forwarded-For", "Upgrade $http_upgrade", "Connection $connection_upgrade"):
        assert f"proxy_set_header {header}" in text
