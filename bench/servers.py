"""Start and stop the servers the benchmarks measure and the browser tests drive, and read their memory.

One place starts a dashboard (``dashboard``), the floor app (``floor``) and the shipped nginx in front
of replicas (``nginx``): ``tests/browser`` uses the same functions as ``bench``."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
TUNED = {"server.fileWatcherType": "none", "runner.postScriptGC": "false"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
"""Debian's Chromium as the browser tests and Lighthouse start it (no browser download here)."""
MEMORY_ENV = {"MALLOC_ARENA_MAX": "2", "ARROW_DEFAULT_MEMORY_POOL": "system"}
"""As the Makefile and the container image run the app (see dashboard/memory.py for why)."""
APP_PREFIX = "/app"
"""Where the app lives behind the shipped nginx (deploy/nginx.conf), whose / is the baked landing page."""
BEHIND_NGINX = {"STREAMLIT_SERVER_BASE_URL_PATH": APP_PREFIX.strip("/")}
"""The setting that serves an app under ``APP_PREFIX``, as the container image sets it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    url: str
    """The app's address, with its base path when it has one (``http://127.0.0.1:PORT/app``)."""
    process: subprocess.Popen[bytes]
    data: Path | None = None
    log: Path | None = None
    ready_s: float = 0.0
    """Seconds from starting the process to its first healthy answer."""

    def rss_mb(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / 2**20

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    name: str,
    script: Path,
    *,
    env: dict[str, str],
    options: dict[str, str] | None = None,
    cwd: Path = ROOT,
    log: Path | None = None,
    module: str | None = None,
) -> Server:
    """``streamlit run script`` on a free loopback port (or ``python -m module``, which takes the same
    options and runs Streamlit itself); ``cwd`` decides which .streamlit/config.toml applies.
    The server's output goes to ``log`` when given (tests read it), else nowhere."""
    port = free_port()
    flags = [f"--{key}={value}" for key, value in (options or {}).items()]
    runner = ["-m", module] if module is not None else ["-m", "streamlit", "run", str(script)]
    command = [
        sys.executable,
        *runner,
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        *flags,
    ]
    plain = {"PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir(), "PYTHONPATH": str(ROOT)}
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=plain | env, stdout=output, stderr=subprocess.STDOUT)
    base = (env.get("STREAMLIT_SERVER_BASE_URL_PATH") or (options or {}).get("server.baseUrlPath") or "").strip("/")
    server = Server(name, f"http://127.0.0.1:{port}" + (f"/{base}" if base else ""), process, log=log)
    try:
        wait_healthy(server.url, process)
    except RuntimeError:
        server.stop()
        raise
    server.ready_s = time.perf_counter() - started
    return server


def wait_healthy(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy after {timeout} s")


def dashboard(
    data: Path, name: str = "dashboard", env: dict[str, str] | None = None, log: Path | None = None
) -> Server:
    """The app as deployed: ``python -m dashboard.ui.serve`` (the tables read and the pages prepared
    before the server listens) with the repository's own .streamlit/config.toml (public mode, unless
    ``env`` says otherwise)."""
    settings = {"DASHBOARD_DATA_DIR": str(data), "DASHBOARD_PUBLIC": "1", **MEMORY_ENV}
    server = start(name, ROOT / "app.py", env=settings | (env or {}), log=log, module="dashboard.ui.serve")
    server.data = data
    return server


def floor(csv: Path, *, tuned: bool, env: dict[str, str] | None = None) -> Server:
    """The floor app from an empty folder: Streamlit's defaults, plus the two tuned options if asked
    (and ``env``, such as ``BEHIND_NGINX``)."""
    folder = Path(tempfile.mkdtemp(prefix="floor-"))
    shutil.copy(ROOT / "bench" / "floor_app.py", folder / "floor_app.py")
    name = "floor (tuned)" if tuned else "floor (naive defaults)"
    return start(
        name,
        folder / "floor_app.py",
        env={"FLOOR_CSV": str(csv), **(env or {})},
        options=TUNED if tuned else None,
        cwd=folder,
    )


@dataclass
class Proxy:
    url: str
    process: subprocess.Popen[bytes]

    @property
    def app(self) -> str:
        """The app behind this proxy (its replicas run with ``BEHIND_NGINX``)."""
        return self.url + APP_PREFIX

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def loopback_nginx_config(
    addresses: list[str], port: int, workdir: Path, *, lift_limits: bool, site: Path | None = None
) -> Path:
    """deploy/nginx.conf with its replica lines and port swapped for loopback ones, and pid, log and
    temp paths in ``workdir``; every other line is used as shipped. ``lift_limits`` removes the
    per-IP limits (a load driver is one address); ``site`` replaces the baked site's root (the
    folder whose ``current`` link a bake is published to). Shared by the benchmark and the tests."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    shipped = [line for line in text.splitlines() if line.strip().endswith("# replica")]
    if len(shipped) != 2 or "    listen 80;" not in text:
        raise ValueError("deploy/nginx.conf should list two replicas marked '# replica' and 'listen 80;'")
    lines = [re.sub(r"server \S+", f"server {address}", shipped[0]) for address in addresses]
    text = text.replace("\n".join(shipped), "\n".join(lines))
    text = text.replace("    listen 80;", f"    listen 127.0.0.1:{port};")
    if site is not None:
        text = re.sub(r"root \S+;  # site root", f"root {site / 'current'};", text)
    if lift_limits:
        text = text.replace("limit_conn sessions_per_ip 50;", "")
        text = text.replace("limit_req zone=requests_per_ip burst=200 nodelay;", "")
    temp = "\n".join(f"    {k}_temp_path {workdir / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    text = text.replace("http {\n", "http {\n" + temp + "\n", 1)
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = workdir / "nginx.conf"
    config.write_text(f"{user}pid {workdir / 'nginx.pid'};\nerror_log {workdir / 'error.log'} warn;\n" + text)
    return config


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Upstream(Protocol):
    url: str
    """The replica's app address (scheme, host and port, and its base path)."""


def nginx(replicas: Sequence[Upstream], workdir: Path, *, lift_limits: bool = True, site: Path | None = None) -> Proxy:
    """The shipped nginx config in front of ``replicas`` (started with ``BEHIND_NGINX``), on a free
    loopback port (checked with ``nginx -t`` first, so a broken config fails with nginx's own message);
    ``site``: the folder whose ``current`` link the baked pages and /api/ are served from (see
    ``loopback_nginx_config``)."""
    port = free_port()
    config = loopback_nginx_config(
        [urlsplit(r.url).netloc for r in replicas], port, workdir, lift_limits=lift_limits, site=site
    )
    return run_nginx(config, workdir, port, ready=f"{APP_PREFIX}/_stcore/health")


def run_nginx(config: Path, workdir: Path, port: int, *, ready: str) -> Proxy:
    """Debian's nginx with ``config`` (checked with ``nginx -t`` first, so a broken config fails with
    nginx's own message), listening on loopback ``port``; returned once the path ``ready`` answers 200."""
    check = subprocess.run([NGINX, "-t", "-c", str(config), "-p", str(workdir)], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed: {check.stderr}")
    process = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(workdir), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxy = Proxy(f"http://127.0.0.1:{port}", process)
    try:
        wait_http(proxy.url + ready, process)
    except RuntimeError:
        proxy.stop()
        raise
    return proxy


def wait_http(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 90) -> None:
    """Until ``url`` answers 200 (for servers other than Streamlit, which have no /_stcore/health)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not answering after {timeout} s")
