"""Two containers of the image behind the shipped nginx config, visited with Debian's Chromium."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from bench.protocol import FAILURE_TEXT
from dashboard.pagespecs import BY_PATH, PAGES
from tests.container import podman
from tests.container.conftest import APPOINTMENT, Site, open_page

COUNT = re.compile(r"^(\d[\d,]*) of (\d[\d,]*) rows match the filters\.$")
BANNER = re.compile(r"The side effects table could not be updated.*Showing the last valid version\.")


def url_of(site: Site, path: str, query: str = "") -> str:
    """The default page (the first spec) is the app's root (/app/), the others are at their own path."""
    return f"{site.app}/{'' if path == PAGES[0].path else path}{query}"


def rows(page: Page) -> tuple[int, int]:
    """(rows shown, rows in the table) from the page's 'N of M rows match the filters.' line."""
    line = page.get_by_text(COUNT)
    expect(line).to_be_visible()
    shown, total = COUNT.match(line.inner_text()).groups()  # type: ignore[union-attr]
    return int(shown.replace(",", "")), int(total.replace(",", ""))


def test_every_page_renders_through_nginx(page: Page, site: Site) -> None:
    # One browser context for all pages: after the first, Streamlit's hashed files come from the
    # browser's cache (nginx marks them immutable), as for a visitor moving between pages.
    for spec in PAGES:
        open_page(page, url_of(site, spec.path), spec.h1)
        expect(page.get_by_text(FAILURE_TEXT)).to_have_count(0)
    # Public mode is the image's default (the containers are not told): the Data page has no upload and
    # shows no server path.
    open_page(page, url_of(site, "data"), BY_PATH["data"].h1)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(page.get_by_text("Data folder on the server")).to_have_count(0)


def test_a_filter_in_the_url_narrows_the_rows_and_a_filter_change_stays_in_the_url(page: Page, site: Site) -> None:
    spec = BY_PATH["side-effects"]
    open_page(page, url_of(site, spec.path), spec.h1)
    everything, total = rows(page)
    assert everything == total

    open_page(page, url_of(site, spec.path, "?system=cardiovascular"), spec.h1)
    cardiovascular, _ = rows(page)
    assert 0 < cardiovascular < total
    expect(page).to_have_url(re.compile(r"system=cardiovascular"))

    box = page.get_by_role("combobox", name="Timeframe")
    box.click()
    box.fill("acute")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"timeframe=acute"))
    expect(page).to_have_url(re.compile(r"system=cardiovascular"))
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_be_attached()
    expect(page.get_by_text(COUNT)).not_to_have_text(re.compile(rf"^{cardiovascular} of "))
    assert 0 < rows(page)[0] < cardiovascular


def test_the_appointment_link_is_the_configured_one(page: Page, site: Site) -> None:
    open_page(page, url_of(site, "dosing"), BY_PATH["dosing"].h1)
    expect(page.get_by_role("link", name="Request an appointment")).to_have_attribute("href", APPOINTMENT)


def replace(path: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: how the README tells an analyst to swap a file in."""
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def test_files_swapped_in_the_mounted_folder_are_served_without_a_restart(page: Page, site: Site) -> None:
    spec = BY_PATH["side-effects"]
    path = site.data / "side_effects.csv"
    original = path.read_bytes()
    marker = "?q=zqxswapped"
    try:
        open_page(page, url_of(site, spec.path, marker), spec.h1)
        assert rows(page)[0] == 0

        # A valid change: one side effect renamed, visible to a search, on whichever replica serves.
        replace(path, original.replace(b"Dissociation,", b"Dissociation zqxswapped,", 1))
        open_page(page, url_of(site, spec.path, marker), spec.h1)
        assert rows(page)[0] == 1
        expect(page.get_by_text(BANNER)).to_have_count(0)

        # A broken one (cut off mid-copy): the last valid version stays, with the warning banner.
        replace(path, original[: original.index(b"\n", len(original) // 2)] + b"\nDizziness,nervous sys")
        open_page(page, url_of(site, spec.path, marker), spec.h1)
        expect(page.get_by_text(BANNER)).to_be_visible()
        assert rows(page)[0] == 1
    finally:
        replace(path, original)
    open_page(page, url_of(site, spec.path, marker), spec.h1)
    assert rows(page)[0] == 0
    expect(page.get_by_text(BANNER)).to_have_count(0)


def test_new_sessions_still_work_when_one_container_stops(browser: Browser, site: Site) -> None:
    stopped = site.replicas[0]
    podman.podman("stop", "--time", "5", stopped.name)
    try:
        # Each new context has no route cookie, so nginx picks a replica afresh; some would pick
        # the stopped one and must be sent on to the other.
        for _ in range(4):
            context = browser.new_context()
            fresh = context.new_page()
            open_page(fresh, url_of(site, "side-effects"), BY_PATH["side-effects"].h1)
            assert rows(fresh)[0] > 0
            context.close()
    finally:
        podman.podman("start", stopped.name)
        podman.wait_healthy(stopped.url, stopped.name)
