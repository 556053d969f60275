"""Settings come from the environment and fail at start, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from otopbot.errors import ConfigError
from otopbot.settings import Settings

CONNECTED = {
    "LINE_CHANNEL_SECRET": "s" * 32,
    "LINE_CHANNEL_ACCESS_TOKEN": "token",
    "SECRET_KEY": "k" * 32,
    "DATABASE_URL": "postgres://u@db/otop",
}


def test_defaults_run_local_mode_on_sqlite(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("instance/otopbot.sqlite3")
    assert not settings.connected and settings.line_api_base_url == "https://api.line.me"


def test_a_connected_bot_normalises_heroku_postgres_urls() -> None:
    settings = Settings.from_env(CONNECTED)
    assert settings.connected and settings.database_url == "postgresql+psycopg://u@db/otop"


@pytest.mark.parametrize(
    "change, variable",
    [
        ({"LINE_CHANNEL_ACCESS_TOKEN": ""}, "LINE_CHANNEL_ACCESS_TOKEN"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"LINE_API_BASE_URL": "ftp://x"}, "LINE_API_BASE_URL"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"LINE_TIMEOUT_SECONDS": "soon"}, "LINE_TIMEOUT_SECONDS"),
    ],
)
def test_a_bad_setting_names_the_variable(change: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({**CONNECTED, **change})


def test_the_worker_refuses_to_start_without_a_channel_secret_in_one_clear_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "otopbot", "worker"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode != 0
    assert "LINE_CHANNEL_SECRET" in result.stderr and "Traceback" not in result.stderr


def _niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.skipif(not hasattr(os, "nice") or not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")
def test_the_worker_yields_the_cpu_to_the_web_by_worker_nice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An operator sharing a machine between web and worker sets WORKER_NICE and sees it on the process."""
    env = {
        **CONNECTED,
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/w.sqlite3",
        "WORKER_NICE": "7",
    }
    worker = subprocess.Popen([sys.executable, "-m", "otopbot", "worker"], env=env, cwd=tmp_path)
    try:
        wanted, seen = _niceness(os.getpid()) + 7, None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and worker.poll() is None and seen != wanted:
            seen = _niceness(worker.pid)
            time.sleep(0.05)
    finally:
        worker.kill()
        worker.wait(timeout=10)
    assert seen == min(wanted, 19), f"the worker ran at niceness {seen}"
