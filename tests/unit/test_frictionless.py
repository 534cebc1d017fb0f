"""An independent check that data/datapackage.json is a real data package: the Frictionless Framework
(installed by `make test` into .venv-frictionless) validates the shipped tables against it, and
finds the errors we expect in a broken copy."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

FRICTIONLESS = ROOT / ".venv-frictionless" / "bin" / "frictionless"


def validate(package: Path) -> dict[str, object]:
    assert FRICTIONLESS.is_file(), "run `make test` (it installs the Frictionless Framework into .venv-frictionless)"
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", str(package), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def errors(report: dict[str, object]) -> list[tuple[str, str, str | None]]:
    found = []
    for task in report["tasks"]:  # type: ignore[attr-defined]
        for error in task["errors"]:
            found.append((task["name"], error["type"], error.get("fieldName")))
    return found


def test_the_shipped_package_is_valid() -> None:
    report = validate(DATA / "datapackage.json")
    assert errors(report) == []
    assert report["valid"] is True
    assert {t["name"] for t in report["tasks"]} >= {"side_effects", "outcomes", "sources"}  # type: ignore[attr-defined]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "side_effects.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace(",41,,9,", ",140,,9,", 1)
    lines[2] = lines[2].replace(",SPR21,", ",NOPE99,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    return folder


def test_a_broken_copy_gets_a_constraint_error_a_foreign_key_error_and_a_changed_hash(broken: Path) -> None:
    found = errors(validate(broken / "datapackage.json"))
    side_effects = [(kind, field) for table, kind, field in found if table == "side_effects"]
    assert ("constraint-error", "incidence_pct") in side_effects
    assert any(kind == "foreign-key" for kind, _ in side_effects), side_effects
    assert any(kind in ("hash-count", "byte-count") for kind, _ in side_effects)  # the file is not the version listed
