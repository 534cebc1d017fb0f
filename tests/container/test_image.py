"""What the image promises: health checked, non-root, unable to change its code or data, nothing extra."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.container import podman
from tests.container.conftest import Site

# What the Dockerfile copies into /app, and nothing else (.dockerignore keeps the rest out).
APP = {".streamlit", "app.py", "constraints.txt", "dashboard", "data", "requirements.txt"}
NEVER = {"tests", "bench", "docs", "deploy", ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".cache"}


def test_healthcheck_reports_healthy(site: Site) -> None:
    name = site.replicas[-1].name
    # This machine has no systemd to run podman's health timer, so the check is run on demand.
    result = podman.podman("healthcheck", "run", name, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    status = podman.podman("inspect", "--format", "{{.State.Health.Status}}", name).stdout.strip()
    assert status == "healthy"


def test_runs_as_uid_10001(site: Site) -> None:
    name = site.replicas[-1].name
    assert podman.podman("exec", name, "id", "-u").stdout.strip() == "10001"
    assert podman.podman("inspect", "--format", "{{.Config.User}}", name).stdout.strip() == "10001"


@pytest.mark.parametrize("target", ["/app/data/x", "/app/data/side_effects.csv", "/app/app.py", "/app/dashboard/x.py"])
def test_the_running_server_cannot_write_its_code_or_data(site: Site, target: str) -> None:
    name = site.replicas[-1].name
    assert podman.podman("exec", name, "touch", "/tmp/writable").returncode == 0  # the tmpfs is writable
    refused = podman.podman("exec", name, "touch", target, check=False)
    assert refused.returncode != 0
    assert "Read-only file system" in refused.stderr or "Permission denied" in refused.stderr


def test_code_and_baked_in_data_are_not_the_app_users_even_without_a_read_only_root() -> None:
    # Second line of defence for a runtime that forgets --read-only: the files belong to root.
    script = "for f in /app/data/x /app/data/sources.csv /app/app.py /app/dashboard/x.py; do touch $f && echo $f; done"
    result = podman.oneshot("sh", "-c", script, read_only=False)
    assert result.stdout == ""
    assert result.stderr.count("Permission denied") == 4


def test_the_site_folder_is_a_volume_the_app_may_write_with_a_read_only_root() -> None:
    # With no volume given, the runtime makes an anonymous one from the image's VOLUME, owned as the
    # folder is in the image (as a new named volume in deploy/compose.yaml is).
    script = 'echo "$DASHBOARD_SITE_DIR"; touch /srv/dashboard-site/x && stat -c %u /srv/dashboard-site/x'
    result = podman.oneshot("sh", "-c", script)
    assert result.stdout.split() == ["/srv/dashboard-site", str(podman.UID)], result.stderr


def test_image_holds_the_app_and_nothing_of_the_repository_besides() -> None:
    result = podman.oneshot("find", "/app", "-mindepth", "1")
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.split()]
    assert {p.relative_to("/app").parts[0] for p in paths} == APP
    assert not [p for p in paths if NEVER & set(p.parts)]
    assert not [p for p in paths if p.suffix == ".pyc"]


def test_cookie_secret_can_come_from_a_mounted_config_file(tmp_path: Path) -> None:
    # How deploy/k8s/dashboard.yaml passes it: Streamlit's global config file, read-only.
    secret = tmp_path / "config.toml"
    secret.write_text('[server]\ncookieSecret = "from-a-mounted-file"\n', encoding="utf-8")
    secret.chmod(0o444)
    mount = f"{secret}:/home/dashboard/.streamlit/config.toml:ro"
    result = podman.oneshot("python", "-m", "streamlit", "config", "show", options=("--volume", mount))
    assert result.returncode == 0, result.stderr
    assert 'cookieSecret = "from-a-mounted-file"' in result.stdout.splitlines()
