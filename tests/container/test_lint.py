"""The deployment files through the linters operators and auditors run: hadolint, kubernetes-validate, checkov.

The tools are installed by the Makefile into .venv-tools (see requirements-tools.txt for why not .venv).
"""

from __future__ import annotations

import json
import subprocess

from tests.container.conftest import ROOT

TOOLS = ROOT / ".venv-tools" / "bin"
DEPLOY = ROOT / "deploy"

# checkov findings left on purpose, each with its reason. The test fails if one of them disappears
# too (then it is fixed and should leave this list), so the list cannot go stale.
DELIBERATE = {
    # The manifest cannot know the digest of an image the operator has not pushed yet; the README and the
    # manifest's header tell the operator to replace the placeholder tag with the pushed digest.
    "CKV_K8S_43": "Image should use digest",
    # With a digest, IfNotPresent already runs exactly those bytes; Always would only make every pod
    # start depend on the registry being reachable.
    "CKV_K8S_15": "Image Pull Policy should be Always",
}


def tool(name: str) -> str:
    path = TOOLS / name
    assert path.exists(), f"{path} missing: `make tools` (run by `make test` and `make container`) installs it"
    return str(path)


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = subprocess.run(
        [tool("hadolint"), "--no-color", str(DEPLOY / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_kubernetes_manifests_match_the_api_schemas() -> None:
    manifests = sorted((DEPLOY / "k8s").glob("*.yaml"))
    assert manifests
    result = subprocess.run(
        [tool("kubernetes-validate"), "--strict", *map(str, manifests)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed for resource deployment/ketamine-dashboard" in result.stdout
    assert "passed for resource networkpolicy/ketamine-dashboard" in result.stdout


def checkov(*args: str) -> list[dict]:  # type: ignore[type-arg]
    # --skip-download: no network call for Prisma Cloud's guideline links (not reachable, not needed).
    result = subprocess.run(
        [tool("checkov"), "--skip-download", "--quiet", "--output", "json", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    report = json.loads(result.stdout)
    return report if isinstance(report, list) else [report]


def failed(reports: list[dict]) -> dict[str, list[str]]:  # type: ignore[type-arg]
    found: dict[str, list[str]] = {}
    for report in reports:
        for check in report["results"]["failed_checks"]:
            found.setdefault(check["check_id"], []).append(f"{check['check_name']} ({check['resource']})")
    return found


def test_checkov_kubernetes_findings_are_exactly_the_deliberate_ones() -> None:
    reports = checkov("--framework", "kubernetes", "--directory", str(DEPLOY / "k8s"))
    assert sum(r["summary"]["passed"] for r in reports) > 80  # the manifests were really scanned
    assert set(failed(reports)) == set(DELIBERATE), failed(reports)


def test_checkov_finds_nothing_in_the_dockerfile() -> None:
    reports = checkov("--framework", "dockerfile", "--file", str(DEPLOY / "Dockerfile"))
    assert sum(r["summary"]["passed"] for r in reports) > 20
    assert failed(reports) == {}
