"""Lighthouse (from npm, ``make bench-tools``) on Debian's Chromium: first and repeat visits of a URL.

Each measured URL gets its own Chromium with a fresh profile, started here with the flags below and
a remote-debugging port; Lighthouse attaches to it (``--port``). First visits are ordinary Lighthouse
runs (Lighthouse clears the origin's storage and the browser cache before each). The repeat visit is
one more run in the same browser with ``--disable-storage-reset``: the HTTP cache and the cookies of
the first visits stay, as for a visitor coming back.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from bench import servers
from bench.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
PREFIX = ROOT / ".cache" / "lighthouse"
CLI = PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROME = servers.CHROMIUM
CHROME_FLAGS = ["--headless=new", *servers.CHROMIUM_FLAGS]
PRESETS = ("desktop", "mobile")
"""``desktop`` is Lighthouse's desktop preset; ``mobile`` is its default (phone emulation, slow 4G, 4x CPU)."""
MAX_WAIT_MS = 45_000
"""Lighthouse's wait for the load to settle (its default, written out: Streamlit holds a websocket open)."""


@dataclass
class Metrics:
    score: float = math.nan
    """Performance score, 0-100."""
    tbt: float = math.nan
    lcp: float = math.nan
    cls: float = math.nan
    tti: float = math.nan
    fcp: float = math.nan
    bytes: float = math.nan
    """Lighthouse's total-byte-weight: the HTTP transfer sizes (websocket frames are not in it)."""
    requests: float = math.nan
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def version() -> str:
    if not CLI.exists():
        raise SystemExit(f"{CLI} is missing: run `make bench-tools` (Lighthouse from npm)")
    out = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True, env=_env())
    return out.stdout.strip()


def chromium_version() -> str:
    return subprocess.run([CHROME, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def _env() -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir(), "CHROME_PATH": CHROME}


class Browser:
    """One Chromium with its own profile and a debugging port for Lighthouse to attach to."""

    def __init__(self) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="bench-chromium-"))
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                CHROME,
                *CHROME_FLAGS,
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopping it ends its renderer processes too
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/version", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("chromium did not open its debugging port") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def lighthouse(self, url: str, preset: str, *, keep_cache: bool, save: Path | None = None) -> Metrics:
        flags = [f"--port={self.port}", "--only-categories=performance", "--output=json", "--quiet"]
        flags += [f"--max-wait-for-load={MAX_WAIT_MS}", "--output-path=stdout"]
        if preset == "desktop":
            flags.append("--preset=desktop")
        if keep_cache:
            flags.append("--disable-storage-reset")
        try:
            out = subprocess.run(
                [str(CLI), url, *flags], capture_output=True, text=True, timeout=240, env=_env(), check=False
            )
        except subprocess.TimeoutExpired:
            return Metrics(error="lighthouse timed out after 240 s")
        if out.returncode != 0 or not out.stdout.strip():
            return Metrics(error=f"lighthouse exited {out.returncode}: {out.stderr.strip()[-300:]}")
        if save is not None:
            save.parent.mkdir(parents=True, exist_ok=True)
            save.write_text(out.stdout, encoding="utf-8")
        return parse(json.loads(out.stdout))


def parse(result: dict[str, Any]) -> Metrics:
    audits = result["audits"]

    def value(audit: str) -> float:
        number = audits.get(audit, {}).get("numericValue")
        return float(number) if number is not None else math.nan

    score = result["categories"]["performance"].get("score")
    error = (result.get("runtimeError") or {}).get("message", "")
    items = audits.get("network-requests", {}).get("details", {}).get("items", [])
    return Metrics(
        score=math.nan if score is None else 100 * float(score),
        tbt=value("total-blocking-time"),
        lcp=value("largest-contentful-paint"),
        cls=value("cumulative-layout-shift"),
        tti=value("interactive"),
        fcp=value("first-contentful-paint"),
        bytes=value("total-byte-weight"),
        requests=float(len(items)),
        error=error,
    )


def median(runs: list[Metrics]) -> Metrics:
    """Each metric's median over the runs that worked (not one chosen run); the errors if none did."""
    good = [r for r in runs if r.ok]
    if not good:
        return Metrics(error="; ".join(sorted({r.error for r in runs})))
    numbers = {
        f.name: statistics.median(getattr(r, f.name) for r in good) for f in fields(Metrics) if f.name != "error"
    }
    return Metrics(**numbers)


@dataclass
class Visit:
    first: Metrics
    repeat: Metrics
    runs: int
    """First-visit runs that made the median."""


def visit(url: str, preset: str, runs: int, save: Path | None = None) -> Visit:
    """``runs`` first visits (median) and one repeat visit of ``url`` in one fresh browser."""
    browser = Browser()
    try:
        first = [
            browser.lighthouse(url, preset, keep_cache=False, save=save and save.with_name(f"{save.stem}-{i}.json"))
            for i in range(1, runs + 1)
        ]
        repeat = browser.lighthouse(
            url, preset, keep_cache=True, save=save and save.with_name(f"{save.stem}-repeat.json")
        )
    finally:
        browser.stop()
    return Visit(median(first), repeat, sum(r.ok for r in first))
