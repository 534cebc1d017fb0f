"""Podman, driven the way this test machine allows; deploy/Dockerfile and deploy/compose.yaml stay generic.

Everything specific to the test environment lives here and nowhere in deploy/:

- runc with cgroupfs: crun cannot set up cgroups on this kind of machine.
- host networking: no bridge (CNI) network can be created here, so each container listens on its
  own loopback port (STREAMLIT_SERVER_PORT, STREAMLIT_SERVER_ADDRESS) instead of a published port.
- explicit resource limits: as root, podman asks runc for higher open-file and process limits than
  this machine grants (no CAP_SYS_RESOURCE), and runc then refuses to start ("error setting rlimit").
- a stand-in for python:3.11-slim: no image registry is reachable, so the base image is Debian
  bookworm's own Python 3.11 made with debootstrap (Debian's mirror is reachable) and imported under
  the official name; deploy/Dockerfile builds FROM it unchanged. The stand-in carries this machine's
  CA bundle as its system bundle, because this network inspects TLS and pip inside the build must
  trust it (Debian's pip and certifi read the system bundle).

Run `python -m tests.container.podman` to build both images by hand.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PODMAN = [shutil.which("podman") or "/usr/bin/podman", "--runtime", "/usr/sbin/runc", "--cgroup-manager", "cgroupfs"]
BASE = "docker.io/library/python:3.11-slim"
# Several worktrees may run their suites on one machine at once: each gets its own image tag, and every
# container name carries the process id, so no run replaces or removes another's.
IMAGE = "localhost/ketamine-dashboard:test-" + hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]
PREFIX = f"ketamine-test-{os.getpid()}"
UID = 10001
"""The image's user (deploy/Dockerfile's USER)."""
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
# Below what this machine grants, far above what pip or a Streamlit server uses (a few hundred files
# and threads); `--ulimit host` fails here too.
ULIMITS = ["--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096"]
# `podman kube play` has no --ulimit flag: the same limits as its defaults, from a containers.conf.
CONTAINERS_CONF = Path(__file__).with_name("containers.conf")
# The image's production settings (as in deploy/compose.yaml): read-only root, tmpfs where the server writes.
PRODUCTION = ["--read-only", "--tmpfs", "/tmp", "--tmpfs", "/home/dashboard"]
# The debootstrap packages that make Debian's python3 look like python:3.11-slim to the Dockerfile:
# `python` on PATH, pip, venv, and CA certificates for pip's downloads.
STANDIN_PACKAGES = "python3,python3-venv,python3-pip,python-is-python3,ca-certificates"


class PodmanError(RuntimeError):
    pass


def podman(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """One podman command; on failure the error carries its output (a build log is long: keep its tail)."""
    result = subprocess.run(
        [*PODMAN, *args], capture_output=True, text=True, timeout=timeout, check=False, env=environment()
    )
    if check and result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        raise PodmanError(f"podman {' '.join(args[:3])} ... exited {result.returncode}:\n{output}")
    return result


def environment() -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": str(CONTAINERS_CONF)}


def image_exists(name: str) -> bool:
    return podman("image", "exists", name, check=False).returncode == 0


def ensure_base() -> bool:
    """Make the stand-in base once; later runs reuse it (cached by the image's presence). True if built now."""
    with open("/tmp/ketamine-standin.lock", "w") as lock:  # one builder at a time; the others then reuse it
        fcntl.flock(lock, fcntl.LOCK_EX)
        if image_exists(BASE):
            return False
        make_base()
        return True


def make_base() -> None:
    debootstrap = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
    with tempfile.TemporaryDirectory(prefix="standin-") as folder:
        root = Path(folder) / "root"
        subprocess.run(
            [debootstrap, "--variant=minbase", f"--include={STANDIN_PACKAGES}", "bookworm", str(root)],
            check=True,
            capture_output=True,
            timeout=1200,
        )
        # The official image's pip installs into the system Python; Debian's marker would refuse that.
        (root / "usr/lib/python3.11/EXTERNALLY-MANAGED").unlink(missing_ok=True)
        shutil.copyfile(HOST_CA, root / "etc/ssl/certs/ca-certificates.crt")
        # The downloaded packages do not belong in a base image.
        for package in (root / "var/cache/apt/archives").glob("*.deb"):
            package.unlink()
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        imported = subprocess.run(
            [*PODMAN, "import", "--change", 'CMD ["python3"]', "-", BASE],
            stdin=tar.stdout,
            env=environment(),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        tar.wait()
        if imported.returncode != 0 or tar.returncode != 0:
            raise PodmanError(f"podman import failed: {imported.stderr[-2000:]}")


def build(tag: str = IMAGE, *, no_cache: bool = False) -> None:
    """deploy/Dockerfile from the repository root, as the README tells operators; docker format keeps
    the HEALTHCHECK (the OCI image format has no field for it)."""
    ensure_base()
    podman(
        "build",
        "--network",
        "host",
        "--pull=never",
        *ULIMITS,
        "--format",
        "docker",
        *(["--no-cache"] if no_cache else []),
        "-f",
        str(ROOT / "deploy" / "Dockerfile"),
        "-t",
        tag,
        str(ROOT),
        timeout=1800,
    )


def run(
    name: str,
    port: int,
    *,
    env: dict[str, str] | None = None,
    volumes: list[str] | None = None,
    image: str = IMAGE,
) -> None:
    """A detached container with the production settings of deploy/compose.yaml: read-only root, tmpfs
    for /tmp and the home directory, the image's non-root user, public mode (the image's default)."""
    podman("rm", "--force", "--ignore", name)
    settings = {"STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_ADDRESS": "127.0.0.1", **(env or {})}
    podman(
        "run",
        "--detach",
        "--name",
        name,
        *PRODUCTION,
        *ULIMITS,
        "--network",
        "host",
        *(arg for key, value in settings.items() for arg in ("--env", f"{key}={value}")),
        *(arg for volume in volumes or [] for arg in ("--volume", volume)),
        image,
    )


def oneshot(*command: str, options: tuple[str, ...] = (), read_only: bool = True) -> subprocess.CompletedProcess[str]:
    """``command`` in a fresh container of the image, as its own user; not checked (callers look at it)."""
    settings = PRODUCTION if read_only else []
    return podman("run", "--rm", *settings, *ULIMITS, "--network", "none", *options, IMAGE, *command, check=False)


def remove(name: str) -> None:
    podman("rm", "--force", "--ignore", "--time", "5", name, check=False)


def remove_orphans() -> None:
    """Remove what an interrupted earlier run left (its process is gone): its containers would keep
    their loopback ports and memory."""
    listings = {"pod": ("pod", "ps", "--format", "{{.Name}}"), "container": ("ps", "--all", "--format", "{{.Names}}")}
    for kind, listing in listings.items():
        for name in podman(*listing).stdout.split():
            match = re.match(r"ketamine-test-(\d+)-", name)
            if match and not Path(f"/proc/{match.group(1)}").exists():
                podman(kind, "rm", "--force", name, check=False)


def wait_healthy(url: str, name: str, timeout: float = 120) -> float:
    """Seconds until ``url``/_stcore/health answers ok; fails early (with the log) if the container exits."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return time.monotonic() - started
        except OSError:
            state = podman("inspect", "--format", "{{.State.Running}}", name, check=False).stdout.strip()
            if state != "true":
                raise PodmanError(f"container {name} stopped:\n{logs(name)}") from None
            time.sleep(0.2)
    raise PodmanError(f"container {name} not healthy after {timeout} s:\n{logs(name)}")


def logs(name: str) -> str:
    result = podman("logs", name, check=False)
    return (result.stdout + result.stderr)[-4000:]


if __name__ == "__main__":
    started = time.monotonic()
    print("stand-in base:", "built" if ensure_base() else "present", f"({time.monotonic() - started:.0f} s)")
    started = time.monotonic()
    build(no_cache=os.environ.get("NO_CACHE") == "1")
    print(f"image {IMAGE} built in {time.monotonic() - started:.0f} s")
