"""``bake(catalog, out_dir, settings)``: write every public page, robots.txt and sitemap.xml.

The site is written by a list of writers, each ``(catalog, out_dir, settings) -> list[Path]``;
and the open data API (``dashboard.bake.api.write_api``) under ``api/``: the entries of ``WRITERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dashboard.bake import api, render
from dashboard.bake.pages import build_pages
from dashboard.catalog import Catalog
from dashboard.settings import Settings

Writer = Callable[[Catalog, Path, Settings], list[Path]]


def write_pages(catalog: Catalog, out_dir: Path, settings: Settings) -> list[Path]:
    env = render.environment()
    pages = build_pages(catalog, settings.app_base)
    foot = render.footer(settings, catalog.as_of, catalog.version)
    written = []
    for page in pages:
        path = out_dir / page.file
        path.write_text(render.render_page(env, page, pages, settings, foot), encoding="utf-8")
        written.append(path)
    sitemap = out_dir / "sitemap.xml"
    sitemap.write_text(render.render_sitemap(env, pages, settings, catalog.as_of), encoding="utf-8")
    robots = out_dir / "robots.txt"
    robots.write_text(render.render_robots(settings), encoding="utf-8")
    return [*written, sitemap, robots]


def write_open_data(catalog: Catalog, out_dir: Path, settings: Settings) -> list[Path]:
    """The open data API, under ``api/`` beside the pages."""
    return api.write_api(catalog, out_dir / "api", licence=settings.data_licence)


WRITERS: tuple[Writer, ...] = (write_pages, write_open_data)
"""Everything ``python -m dashboard bake`` writes, in order."""


def bake(catalog: Catalog, out_dir: Path, settings: Settings) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for writer in WRITERS:
        written += writer(catalog, out_dir, settings)
    return written
