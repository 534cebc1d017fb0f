"""deploy/k8s/dashboard.yaml through `podman kube play`: the Deployment's pod as Kubernetes would run it.

podman plays Pods and Deployments (with their Secret volumes, and a local named volume for the baked
site's claim) and ignores the other kinds (Namespace, PersistentVolumeClaim, Service,
PodDisruptionBudget, Ingress, NetworkPolicy, ConfigMap of headers): those are checked
statically by tests/unit/test_deploy.py and tests/container/test_lint.py. The shipped manifest is
adapted here, in a copy, only where podman 4.3 or this machine needs it; each change says why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.servers import APP_PREFIX, free_port
from tests.container import podman
from tests.container.conftest import ROOT

COOKIE = "kube-play-cookie-secret"  # a throwaway value for one loopback pod


def adapt(documents: list[dict[str, Any]], name: str, port: int, image: str) -> list[dict[str, Any]]:
    # The app's Deployment; the site's nginx (an image no registry here serves) is checked by
    # tests/browser/test_public_site.py with Debian's nginx and its config from the manifest.
    (deployment,) = (
        d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"] == "ketamine-dashboard"
    )
    deployment["metadata"]["name"] = name  # podman's pod and container names are global on the machine
    deployment["spec"]["replicas"] = 1  # host networking: every replica would want the same port
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    container["image"] = image  # the image built by this run, not the operator's registry
    # No bridge network here: host networking, where podman refuses port mappings, on a free port.
    container.pop("ports")
    container["env"] += [
        {"name": "STREAMLIT_SERVER_PORT", "value": str(port)},
        {"name": "STREAMLIT_SERVER_ADDRESS", "value": "127.0.0.1"},
    ]
    for probe in ("readinessProbe", "livenessProbe"):
        container[probe]["httpGet"]["port"] = port  # the named port went with the port list
    for volume in pod["volumes"]:
        if "secret" in volume:
            volume["secret"]["secretName"] = name
            # podman 4.3.1 dereferences this field unchecked: without it `kube play` panics (nil pointer).
            volume["secret"]["optional"] = False
        if "persistentVolumeClaim" in volume:
            # podman makes a local named volume of the claim: one per run (runs may overlap), removed after.
            volume["persistentVolumeClaim"]["claimName"] = name
    return [deployment]


@pytest.fixture
def played(image: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    name = f"{podman.PREFIX}-kube"
    port = free_port()
    shipped = [d for d in yaml.safe_load_all((ROOT / "deploy" / "k8s" / "dashboard.yaml").read_text()) if d]
    manifest = tmp_path / "play.yaml"
    manifest.write_text(yaml.safe_dump_all(adapt(shipped, name, port, image)), encoding="utf-8")
    # The Secret the README has the operator create. podman 4.3.1 writes a Secret's `data` values into
    # the volume as they stand (without base64-decoding them, unlike Kubernetes) and ignores
    # `stringData`: so the value goes in as plain text.
    secret = tmp_path / "secret.json"
    config = f'[server]\ncookieSecret = "{COOKIE}"\n'
    secret.write_text(
        json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "data": {"config.toml": config}})
    )
    podman.podman("secret", "rm", name, check=False)
    podman.podman("secret", "create", name, str(secret))
    try:
        podman.podman("kube", "play", "--network", "host", str(manifest))
        container = f"{name}-pod-0-dashboard"
        podman.wait_healthy(f"http://127.0.0.1:{port}{APP_PREFIX}", container)
        yield container, f"http://127.0.0.1:{port}{APP_PREFIX}"
    finally:
        podman.podman("kube", "down", str(manifest), check=False)
        podman.podman("secret", "rm", name, check=False)
        podman.podman("volume", "rm", "--force", name, check=False)


def test_kube_play_runs_the_deployment_locked_down_with_the_cookie_secret_from_a_file(
    played: tuple[str, str],
) -> None:
    container, _ = played
    assert podman.podman("exec", container, "id", "-u").stdout.strip() == "10001"
    status = podman.podman("exec", container, "cat", "/proc/1/status").stdout
    assert "CapEff:\t0000000000000000" in status  # capabilities: drop ALL
    assert "NoNewPrivs:\t1" in status  # allowPrivilegeEscalation: false
    assert "Seccomp:\t2" in status  # seccompProfile: RuntimeDefault
    refused = podman.podman("exec", container, "touch", "/app/x", check=False)
    assert "Read-only file system" in refused.stderr  # readOnlyRootFilesystem: true
    assert podman.podman("exec", container, "touch", "/tmp/x", "/home/dashboard/x").returncode == 0  # emptyDirs
    assert podman.podman("exec", container, "touch", "/srv/dashboard-site/x").returncode == 0  # the site's claim
    shown = podman.podman("exec", container, "python", "-m", "streamlit", "config", "show").stdout
    assert f'cookieSecret = "{COOKIE}"' in shown.splitlines()
    environment = podman.podman("exec", container, "env").stdout
    assert COOKIE not in environment
    assert "DASHBOARD_PUBLIC=1" in environment.splitlines()
