"""The baked public site in step with a swapped table: both containers bake into one mounted folder
(the image's /srv/dashboard-site volume), the host's nginx serves the pages and /api/ from its
current/ link with the shipped deploy/nginx.conf, and nothing is restarted.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from dashboard.bake.publish import served
from tests.container import podman
from tests.container.conftest import Site
from tests.container.test_site import replace

T = TypeVar("T")

# The label's TRD short-term pool row for dissociation on esketamine: 142 of 346 (41%). The swap keeps
# the row valid: 145 of 346 is 41.9%, which rounds to the new 42.
ROW = b"Dissociation,psychiatric,esketamine,acute,41,,9,,placebo nasal spray + oral antidepressant,346,222,142,21,"
SWAPPED = ROW.replace(b",41,,9,", b",42,,9,").replace(b",346,222,142,21,", b",346,222,145,21,")
SENTENCE = re.compile(r"About (\d+) in 100 people on esketamine, and 9 in 100 on placebo, felt detached \(dissociation")
REFUSED = re.compile(r"side_effects\.csv: \d+ problem\(s\), serving the last valid version")
"""What a replica logs when its catalog store (the baker's too) reads a broken side_effects.csv
(dashboard/catalog.py): the catalog keeps the last valid version, so the baker has nothing new to bake."""

BAKED_WITHIN = 30.0
"""The baker checks every 10 s; a bake of the whole site takes a few seconds more."""
KEPT_FOR = 15.0


@dataclass(frozen=True)
class Shown:
    """What a visitor gets now: the row through nginx's /api/, the sentence on the baked page, the
    data version of the served bake (from /api/index.json and from the current/ link's folder)."""

    incidence: str
    events: str
    sentence: int
    version: str
    folder_version: str


def get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bytes(response.read())
    except urllib.error.HTTPError:
        return None


def shown(site: Site) -> Shown | None:
    """None while there is no bake (before the first, nginx answers 404)."""
    index, table = get(f"{site.url}/api/index.json"), get(f"{site.url}/api/side_effects.csv")
    page, folder = get(f"{site.url}/side-effects.html"), served(site.baked)
    if index is None or table is None or page is None or folder is None:
        return None
    (row,) = (
        r
        for r in csv.DictReader(io.StringIO(table.decode("utf-8-sig")))
        if r["effect"] == "Dissociation" and r["drug"] == "esketamine" and r["study_id"] == "spravato-trd-pool"
    )
    match = SENTENCE.search(page.decode("utf-8"))
    assert match, "the side effects page lost its dissociation sentence"
    version = json.loads(index)["data_version"]
    return Shown(row["incidence_pct"], row["events_drug"], int(match.group(1)), version, folder.name.rsplit("-", 1)[0])


def until(check: Callable[[], T | None], timeout: float, what: str) -> T:
    """Poll ``check`` until it returns something truthy, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not {what} within {timeout:.0f} s")
        time.sleep(0.5)


def refusals(site: Site) -> int:
    """How often the replicas have logged it so far (their whole logs: podman.logs keeps only the tail)."""
    logs = (podman.podman("logs", replica.name, check=False) for replica in site.replicas)
    return sum(len(REFUSED.findall(result.stdout + result.stderr)) for result in logs)


def test_a_swapped_table_reaches_the_api_and_the_baked_page_without_a_restart(site: Site) -> None:
    # No visitor has opened the app yet: each replica started its baker with its server
    # (dashboard/ui/serve.py), so the landing page and the API are there before any session.
    before = until(lambda: shown(site), 60, "baked at start and served through nginx")
    landing = get(f"{site.url}/")  # the site's root is the baked landing page
    assert landing is not None
    assert landing == (site.baked / "current" / "index.html").read_bytes()
    shell = get(f"{site.url}/side-effects")  # an old link to the app: redirected under /app/
    assert shell is not None
    assert b'<a href="/side-effects.html">the plain-language pages</a>' in shell
    assert (before.incidence, before.events, before.sentence) == ("41.0", "142", 41)
    assert before.version == before.folder_version

    path = site.data / "side_effects.csv"
    original = path.read_bytes()
    assert original.count(ROW) == 1
    started = {replica.name: podman.podman("inspect", "--format", "{{.State.StartedAt}}", replica.name).stdout
               for replica in site.replicas}  # fmt: skip
    try:
        # A valid change: the new rate, with counts that still agree with it.
        replace(path, original.replace(ROW, SWAPPED))
        after = until(
            lambda: (now := shown(site)) and now.incidence == "42.0" and now.sentence == 42 and now,
            BAKED_WITHIN,
            "the new rate in the API and on the page",
        )
        assert after.events == "145"
        assert after.version == after.folder_version != before.version

        # A broken one (cut off mid-copy): no replica bakes it; the whole last valid bake keeps serving.
        refused = refusals(site)
        replace(path, original[: original.index(b"\n", len(original) // 2)] + b"\nDizziness,nervous sys")
        written = time.monotonic()
        until(lambda: refusals(site) > refused, BAKED_WITHIN, "read and refused by a replica")
        while time.monotonic() - written < KEPT_FOR:
            assert shown(site) == after
            time.sleep(0.5)
    finally:
        replace(path, original)
    until(lambda: (now := shown(site)) and now.sentence == 41 and now.incidence == "41.0", BAKED_WITHIN, "restored")
    for name, at in started.items():  # no restart behind any of it
        assert podman.podman("inspect", "--format", "{{.State.StartedAt}}", name).stdout == at
