"""A bake is published whole or not at all, and a new valid catalog version is re-baked by itself."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dashboard.bake import publish
from dashboard.catalog import Catalog, CatalogStore, load_catalog

ROOT = Path(__file__).resolve().parents[2]


def write_version(catalog: Catalog, out: Path) -> None:
    (out / "index.html").write_text(f"<p>version {catalog.version}</p>", encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


def test_a_bake_is_served_whole_and_the_previous_one_kept(tmp_path: Path, data: Path) -> None:
    site = tmp_path / "site"
    catalog = load_catalog(data)
    first = publish.publish(site, catalog, write_version)
    assert first is not None
    assert publish.served(site) == first
    assert (site / "current" / "index.html").read_text(encoding="utf-8") == f"<p>version {catalog.version}</p>"
    second = publish.publish(site, catalog, write_version)
    assert publish.served(site) == second != first
    assert sorted(p.name for p in (site / publish.BUILDS).iterdir()) == sorted([first.name, second.name])
    third = publish.publish(site, catalog, write_version)
    assert first is not None
    assert not first.exists()  # only the served bake and the one before it stay
    assert publish.served(site) == third


def test_a_failed_bake_or_a_broken_table_leaves_the_served_bake_alone(tmp_path: Path, data: Path) -> None:
    site = tmp_path / "site"
    good = publish.publish(site, load_catalog(data), write_version)

    def fails(catalog: Catalog, out: Path) -> None:
        (out / "index.html").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    assert publish.publish(site, load_catalog(data), fails) is None
    (data / "side_effects.csv").write_text("effect\nonly a header and a row\n", encoding="utf-8")
    assert publish.publish(site, load_catalog(data), write_version) is None
    assert publish.served(site) == good
    assert "half" not in (site / "current" / "index.html").read_text(encoding="utf-8")


def test_the_baker_publishes_each_new_valid_version_once(tmp_path: Path, data: Path) -> None:
    site = tmp_path / "site"
    calls: list[str] = []

    def counting(catalog: Catalog, out: Path) -> None:
        calls.append(catalog.version)
        write_version(catalog, out)

    baker = publish.SiteBaker(CatalogStore(data), site, counting)
    baker.round()
    baker.round()
    assert len(calls) == 1
    regimens = data / "dosing_regimens.csv"
    text = regimens.read_text(encoding="utf-8")
    regimens.write_text(text.replace("Judge benefit", "Judge the benefit", 1), encoding="utf-8")
    baker.round()
    assert len(calls) == 2
    assert calls[0] != calls[1]
    assert f"version {calls[1]}" in (site / "current" / "index.html").read_text(encoding="utf-8")


def test_pruning_never_removes_the_bake_being_served(tmp_path: Path, data: Path) -> None:
    """Replicas share the folder: whichever bake the link points at now (even an older one another
    replica swapped in) stays, whatever this replica prunes."""
    site = tmp_path / "site"
    catalog = load_catalog(data)
    builds = [publish.publish(site, catalog, write_version) for _ in range(2)]
    theirs = site / publish.BUILDS / "other-replica"
    theirs.mkdir()
    write_version(catalog, theirs)
    os.utime(theirs, (1, 1))  # the oldest of all
    publish._swap(site / publish.CURRENT, theirs)
    newest = builds[-1]
    assert newest is not None
    publish._prune(site, keep=newest)
    assert theirs.exists()
    assert publish.served(site) == theirs
    assert newest.exists()
