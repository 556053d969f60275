"""Every `otopbot` command, run as an operator runs it (a real process), answers a bad setting, a broken
file or an unreachable database with one line naming the problem and a non-zero exit — never a
traceback; `broadcast` refuses what the console refuses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OTOPBOT = str(Path(sys.executable).parent / "otopbot")
UNREACHABLE = "postgresql://postgres@127.0.0.1:1/otopbot"
CLEARED = (
    "DATABASE_URL",
    "SECRET_KEY",
    "LINE_CHANNEL_SECRET",
    "LINE_CHANNEL_ACCESS_TOKEN",
    "OTOPBOT_CONTENT_DIR",
    "OTOPBOT_LOCALES_DIR",
    "LINE_API_BASE_URL",
    "TEST_DATABASE_URL",
)


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
            "OTOPBOT_CONTENT_DIR": str(ROOT / "bot"),
            "OTOPBOT_LOCALES_DIR": str(ROOT / "locales"),
            **env,
        }
    )
    return subprocess.run(
        [OTOPBOT, *args], env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False
    )


def one_line(result: subprocess.CompletedProcess[str], *words: str, code: int = 2) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == code, result.stderr[-2000:]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


COMMANDS = {
    "nlu": ("nlu", "สวัสดีค่ะ"),
    "ask": ("ask", "มผช. คืออะไร"),
    "broadcast": ("broadcast", "--text", "ประกาศ", "--yes"),
    "staff add": ("staff", "add", "malee", "--role", "dss", "--password", "a long enough password"),
}
BAD_SETTINGS = {
    "SECRET_KEY": "short",
    "DATABASE_URL": "mysql://x",
    "OTOPBOT_CONTENT_DIR": "/no/such/folder",
}


@pytest.mark.parametrize("variable", sorted(BAD_SETTINGS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path: Path, command: str, variable: str) -> None:
    result = run(tmp_path, *COMMANDS[command], **{variable: BAD_SETTINGS[variable]})
    one_line(result, "configuration error", variable)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "bot"
    shutil.copytree(ROOT / "bot", copy)
    return copy


def _migrated(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").returncode == 0


@pytest.mark.parametrize("damage", ["broken", "empty", "missing", "wrong shape", "bad item"])
def test_seed_with_a_bad_workshops_file_names_the_file(tmp_path: Path, content: Path, damage: str) -> None:
    _migrated(tmp_path)
    seed = content / "seed" / "workshops.yml"
    if damage == "missing":
        seed.unlink()
    else:
        seed.write_text(
            {
                "broken": "workshops:\n  - code: [unclosed\n",
                "empty": "",
                "wrong shape": "- just a list\n",
                "bad item": "workshops:\n  - {code: X1, title: t, category: food, venue: v, "
                "province: ไม่มีจังหวัดนี้, starts_in_days: 3, capacity: 5}\n",
            }[damage],
            encoding="utf-8",
        )
    line = one_line(run(tmp_path, "seed", OTOPBOT_CONTENT_DIR=str(content)), "content error", "workshops.yml")
    if damage == "broken":
        assert any(mark in line for mark in (":3:", ":2:", "line 3", "line 2"))  # where YAML stumbled


@pytest.mark.parametrize("damage", ["broken", "empty"])
def test_seed_with_a_bad_knowledge_file_names_the_file(tmp_path: Path, content: Path, damage: str) -> None:
    _migrated(tmp_path)
    topic = min((content / "knowledge").glob("[!_]*.yml"))
    topic.write_text("id: [oops\n" if damage == "broken" else "", encoding="utf-8")
    one_line(run(tmp_path, "seed", OTOPBOT_CONTENT_DIR=str(content)), "content error", topic.name)


@pytest.mark.parametrize("command", ["nlu-eval", "ask-eval"])
@pytest.mark.parametrize(
    "text", ["- {text: [broken\n", "messages:\n  - {text: สวัสดี, intent: greet}\n", "", "- {text: สวัสดี}\n"]
)
def test_eval_commands_reject_a_malformed_file_naming_the_problem(tmp_path: Path, command: str, text: str) -> None:
    cases = tmp_path / "cases.yml"
    cases.write_text(text, encoding="utf-8")
    one_line(run(tmp_path, command, str(cases)), "content error", "cases.yml")


@pytest.mark.parametrize("args", [("db", "upgrade"), ("seed",), ("questions", "list"), ("purge",)])
def test_an_unreachable_database_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    one_line(run(tmp_path, *args, DATABASE_URL=UNREACHABLE), "database error", "Connection refused")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--text", ""), "Write the announcement in Thai."),
        (("--text", "   \n "), "Write the announcement in Thai."),
        (("--text", "ก" * 6000), "at most 5,000 characters"),
        (("--text", "ประกาศ", "--text-en", "a" * 5001), "at most 5,000 characters"),
        (("--text", "ประกาศ", "--at", "2020-01-01T09:00"), "must be in the future"),
    ],
)
def test_broadcast_refuses_what_the_console_refuses(tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    _migrated(tmp_path)
    one_line(run(tmp_path, "broadcast", *args, "--yes"), words, code=1)
    listed = run(tmp_path, "questions", "list")  # the database is untouched and still answers
    assert listed.returncode == 0, listed.stderr


def test_purge_reports_what_it_scrubbed(tmp_path: Path) -> None:
    _migrated(tmp_path)
    result = run(tmp_path, "purge", OTOPBOT_RETENTION_DAYS="7")
    assert result.returncode == 0 and "older than 7 days" in result.stdout, result.stderr
    one_line(run(tmp_path, "purge", OTOPBOT_RETENTION_DAYS="soon"), "configuration error", "OTOPBOT_RETENTION_DAYS")
