"""Shared fixtures: a private copy of the shipped data that a test may break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of data/ in a temporary folder."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture
def rewrite(data_dir: Path) -> Callable[[str, Callable[[str], str]], Path]:
    """Edit one CSV of the copy as text: ``rewrite("side_effects.csv", lambda text: ...)``."""

    def edit(file: str, change: Callable[[str], str]) -> Path:
        path = data_dir / file
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        return path

    return edit
