#!/usr/bin/env python3
"""One command for newcomers and CI: `python3 dev.py run` starts the bot, `python3 dev.py test` runs every test.

Needs only Python 3.11+. It creates .venv/, installs the project into it (again only when
pyproject.toml changes), and on Debian, as root, installs Chromium and a Thai font for the browser tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".otopbot-installed"
BROWSER_PACKAGES = ["chromium", "fonts-thai-tlwg", "fonts-noto-color-emoji"]


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def ensure_venv() -> None:
    """Create the virtual environment and install the project with its test tools."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        say("creating .venv (first run only)")
        venv.create(VENV, with_pip=True)
    say("installing otopbot and its dependencies into .venv (a few minutes the first time)")
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def ensure_browser() -> None:
    """Browser tests drive Debian's Chromium; install it when we can (root on Debian)."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    can_install = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")
    if not can_install:
        say("Chromium not found and cannot be installed here: browser tests will be skipped")
        return
    say("installing Chromium and a Thai font for the browser tests")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", *BROWSER_PACKAGES],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def run(args: list[str]) -> int:
    ensure_venv()
    return subprocess.call([str(PYTHON), "-m", "otopbot", "serve", *args], cwd=ROOT)


def test(args: list[str]) -> int:
    """All tests on SQLite; then the database-backed ones again on PostgreSQL if TEST_DATABASE_URL is set."""
    ensure_venv()
    ensure_browser()
    sqlite_env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    say("running the test suite on SQLite")
    code = subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=sqlite_env)
    if code != 0 or not os.environ.get("TEST_DATABASE_URL"):
        return code
    say("running the database tests again on PostgreSQL (TEST_DATABASE_URL)")
    return subprocess.call(
        [str(PYTHON), "-m", "pytest", "-m", "not browser", "-p", "no:cacheprovider", "--uses-database-only", *args],
        cwd=ROOT,
    )


def setup(_args: list[str]) -> int:
    """Install everything `run` and `test` need, without running them (CI uses it before the audit)."""
    ensure_venv()
    ensure_browser()
    return 0


def main() -> int:
    commands = {"run": run, "test": test, "setup": setup}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print("usage: python3 dev.py run [--port 8000] | python3 dev.py test [pytest args]", file=sys.stderr)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
