"""7. The browser: Lighthouse on every page through the shipped nginx, against the floor app in the same run.

The desktop TBT target is measured straight to Streamlit (``bench/direct.py``): through nginx the
proxy's share blurs the app's own cost."""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench import lighthouse, servers
from bench.lighthouse import PRESETS, Visit
from bench.load import one_by_one
from dashboard.pagespecs import PAGES

if TYPE_CHECKING:
    from bench.report import Report

ROOT = Path(__file__).resolve().parent.parent
KEY_PAGES = ("overview", "side-effects")
"""Pages measured with the median of several runs in a full run (with the floor); others get one run."""
FLOOR_NGINX = "floor app, nginx"


@dataclass
class Target:
    name: str
    base: str
    """The server's root (nginx or a replica)."""
    page: str
    """Page name for the protocol driver ("" for the default page)."""
    runs: int
    websocket: int = 0
    """Bytes the server sends on the websocket for the page's first render (not in Lighthouse's totals)."""

    @property
    def url(self) -> str:
        return f"{self.base}/{self.page}"


def lighthouse_section(report: Report, out: Path, *, every_page: bool, runs: int) -> None:
    lh_version, chrome = lighthouse.version(), lighthouse.chromium_version()
    data = ROOT / "data"
    started: list[servers.Server] = []
    proxies: list[servers.Proxy] = []
    visits: dict[tuple[str, str], Visit] = {}
    try:
        floors = [servers.floor(data / "side_effects.csv", tuned=True, env=servers.BEHIND_NGINX) for _ in range(2)]
        started += floors
        replicas = [servers.dashboard(data, name=f"replica {i}", env=servers.BEHIND_NGINX) for i in (1, 2)]
        started += replicas
        floor_proxy = servers.nginx(floors, Path(tempfile.mkdtemp(prefix="bench-nginx-")), lift_limits=False)
        proxies.append(floor_proxy)
        proxy = servers.nginx(replicas, Path(tempfile.mkdtemp(prefix="bench-nginx-")), lift_limits=False)
        proxies.append(proxy)
        targets = [
            Target("floor app, direct", floors[0].url, "", runs),
            Target(FLOOR_NGINX, floor_proxy.app, "", runs),
        ]
        for spec in PAGES:
            if not every_page and spec.path not in KEY_PAGES:
                continue
            page = "" if spec is PAGES[0] else spec.path
            targets.append(Target(spec.path, proxy.app, page, runs if spec.path in KEY_PAGES else 1))
        for floor in floors:  # every server has loaded its data and drawn each of its pages once
            one_by_one(floor.url, "", [""], 1)
        for replica in replicas:
            for target in targets[2:]:
                one_by_one(replica.url, target.page, [""], 1)
        for target in targets:
            first = one_by_one(target.base, target.page, [""], 1).first
            target.websocket = first[0].bytes if first else 0
        for preset in PRESETS:
            for target in targets:
                save = out / "lighthouse" / f"{target.name.replace(' ', '').replace(',', '-')}-{preset}.json"
                visit = lighthouse.visit(target.url, preset, target.runs, save)
                visits[(target.name, preset)] = visit
                print(
                    f"lighthouse {preset} {target.name}: score {visit.first.score:.0f}, TBT {visit.first.tbt:.0f} ms, "
                    f"FCP {visit.first.fcp:.0f} ms, CLS {visit.first.cls:.3f}, {visit.first.bytes / 1e3:.0f} KB, "
                    f"repeat {visit.repeat.bytes / 1e3:.0f} KB {visit.first.error or visit.repeat.error}",
                    flush=True,
                )
    finally:
        for proxy_ in proxies:
            proxy_.stop()
        for server in started:
            server.stop()
    _report(report, targets, visits, lh_version, chrome, every_page, runs)


def _report(
    report: Report,
    targets: list[Target],
    visits: dict[tuple[str, str], Visit],
    lh_version: str,
    chrome: str,
    every_page: bool,
    runs: int,
) -> None:
    key = " and ".join(KEY_PAGES)
    if runs > 1:
        measured = f"First visit: median of {runs} runs for the floor app and {key} (each metric's median on its own)"
        measured += ", one run for every other page." if every_page else "; no other page."
    else:
        measured = "First visit: one run each" + ("." if every_page else f", the floor app and {key} only (quick run).")
    rows = []
    for preset in PRESETS:
        for target in targets:
            visit = visits[(target.name, preset)]
            f, r = visit.first, visit.repeat
            errors = "; ".join(e for e in (f.error, r.error) if e) or "0"
            rows.append(
                [
                    target.name,
                    preset,
                    visit.runs,
                    f"{f.score:.0f}",
                    f.tbt,
                    f.lcp,
                    f"{f.cls:.3f}",
                    f.tti,
                    f.fcp,
                    f.bytes / 1e3,
                    target.websocket / 1e3,
                    r.bytes / 1e3,
                    r.fcp,
                    errors,
                ]
            )
    report.table(
        "7. In the browser: Lighthouse through the shipped nginx",
        f"Lighthouse {lh_version} on {chrome} (headless, flags in bench/lighthouse.py), performance category, "
        "desktop preset and the mobile defaults (phone screen, simulated slow 4G and 4x CPU slowdown). The pages "
        "are served by two dashboard replicas (shipped data, public mode) behind deploy/nginx.conf as shipped "
        "(per-IP limits kept: one browser); the floor app is measured directly and behind the same nginx config "
        f"with two floor replicas. {measured} Repeat visit: one more Lighthouse run in the same browser with "
        "`--disable-storage-reset` (HTTP cache and cookies kept). Lighthouse's bytes are HTTP transfer sizes: "
        "the websocket's messages are not in them, so the first render's websocket bytes, measured with the "
        "protocol driver through nginx, are listed beside them (a repeat visit receives them again: Streamlit's "
        "message cache lives in the tab). Times in ms, CLS unitless, sizes in KB.",
        [
            "page",
            "preset",
            "runs",
            "score",
            "TBT",
            "LCP",
            "CLS",
            "TTI",
            "FCP",
            "KB first visit (HTTP)",
            "KB websocket",
            "KB repeat visit (HTTP)",
            "FCP repeat",
            "errors",
        ],
        rows,
    )
    pages = [t for t in targets if not t.name.startswith("floor")]

    def worst(preset: str, metric: str, total: bool = False, repeat: bool = False) -> tuple[float, str]:
        values = []
        for t in pages:
            visit = visits[(t.name, preset)]
            value = getattr(visit.repeat if repeat else visit.first, metric)
            values.append((value + (t.websocket if total else 0), t.name))
        if any(math.isnan(v) for v, _ in values):
            return math.nan, next(name for v, name in values if math.isnan(v))
        return max(values)

    for preset in PRESETS:
        cls, name = worst(preset, "cls")
        floor_cls = visits[(FLOOR_NGINX, preset)].first.cls
        report.target(
            f"every page, CLS ({preset})",
            f"{cls:.3f} ({name}; floor app {floor_cls:.3f})",
            "0.1, or the floor app's where it is higher",
            cls <= max(0.1, floor_cls),
        )
    first, name = worst("desktop", "bytes", total=True)
    report.target(
        "every page through nginx: bytes on a first visit (HTTP + websocket)",
        f"{first / 1e6:.2f} MB ({name})",
        "3 MB",
        first <= 3e6,
    )
    again, name = worst("desktop", "bytes", total=True, repeat=True)
    report.target(
        "every page through nginx: bytes on a repeat visit (HTTP + websocket)",
        f"{again / 1e3:.0f} KB ({name})",
        "300 KB",
        again <= 300e3,
    )
    fcp, name = worst("mobile", "fcp")
    report.target("every page, phone through nginx: FCP", f"{fcp / 1000:.1f} s ({name})", "4 s", fcp <= 4000)
    tti, name = worst("mobile", "tti")
    report.target("every page, phone through nginx: TTI", f"{tti / 1000:.1f} s ({name})", "20 s", tti <= 20000)
