"""python -m dashboard validate: honest exit codes and FILE:LINE: COLUMN: message lines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.describe import datapackage_json, markdown
from dashboard.schema import TABLES

LINE = re.compile(r"^[a-z_]+\.csv(:\d+)?: (\S+: )?\S.*$")


def test_valid_folder_exits_0(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(data_dir)]) == 0
    assert capsys.readouterr().out.startswith(f"ok: {len(TABLES)} tables")


def test_invalid_folder_exits_1_with_one_line_per_problem(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data_dir / "claims.csv").write_text("claim_id,topic\nC1,x\n", encoding="utf-8")
    (data_dir / "sources.csv").unlink()
    assert main(["validate", str(data_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert "sources.csv: file is missing" in problems
    assert "claims.csv: verdict: required column is missing" in problems
    assert all(LINE.match(line) for line in problems), problems
    assert summary.startswith(f"{len(problems)} problem(s) in 2 of {len(TABLES)} tables")


@pytest.mark.parametrize("folder", ["does-not-exist", "a-file.txt"])
def test_missing_folder_exits_2(tmp_path: Path, folder: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file.txt").write_text("x", encoding="utf-8")
    assert main(["validate", str(tmp_path / folder)]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_default_folder_comes_from_the_environment(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    assert main(["validate"]) == 0
    assert str(data_dir) in capsys.readouterr().out


def test_subprocess_on_garbage_prints_no_traceback(data_dir: Path) -> None:
    (data_dir / "side_effects.csv").write_bytes(bytes(range(256)) * 40)
    (data_dir / "dosing_regimens.csv").write_bytes(b"\xef\xbb\xbf" + "r\u00e9gime;x\n1;2\n".encode())
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "side_effects.csv:1: file is binary" in done.stdout
    assert "dosing_regimens.csv:1: columns are separated by semicolons" in done.stdout


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["frobnicate"])
    assert stop.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "python -m dashboard validate my-csvs/" in capsys.readouterr().out


def test_schema_and_datapackage_commands_print_the_derived_documents(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == markdown()
    assert main(["datapackage"]) == 0
    assert capsys.readouterr().out == datapackage_json()


@pytest.mark.parametrize(
    ("env", "args", "port"),
    [({}, [], "8501"), ({"STREAMLIT_SERVER_PORT": "8502"}, [], "8502"), ({}, ["PORT=8600"], "8600")],
)
def test_make_run_serves_the_port_asked_for(env: dict[str, str], args: list[str], port: str) -> None:
    """make run PORT=..., or Streamlit's own STREAMLIT_SERVER_PORT, is the port served (a dry run)."""
    import os

    root = Path(__file__).resolve().parents[2]
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "STREAMLIT_SERVER_PORT"}}
    done = subprocess.run(
        ["make", "-n", "-W", "requirements.txt", "run", *args],
        capture_output=True,
        text=True,
        cwd=root,
        env={**clean, **env},
        check=True,
    )
    assert f"--server.port {port}" in done.stdout


def test_make_diff_reports_differences_without_failing() -> None:
    """The diff target treats exit 1 (differences found) as an answer, and still fails on exit 2."""
    root = Path(__file__).resolve().parents[2]
    rule = (root / "Makefile").read_text(encoding="utf-8").split("\ndiff:", 1)[1].split("\n\n", 1)[0]
    script = rule.split("\n\t", 1)[1].lstrip("@").replace("$$", "$")
    command = "$(BIN)/python -m dashboard diff $(OLD) $(NEW) $(if $(FORMAT),--format $(FORMAT))"
    assert command in script
    for code, ok in ((0, True), (1, True), (2, False)):
        done = subprocess.run(["bash", "-c", script.replace(command, f"(exit {code})")], check=False)
        assert (done.returncode == 0) is ok, code
