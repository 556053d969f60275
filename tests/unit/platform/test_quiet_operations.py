"""What an operator sees: no library debug chatter at LOG_LEVEL=INFO."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from otopbot.logs import configure
configure({level!r})
import bm25s  # as the knowledge search imports it: it sets its own logger to DEBUG
index = bm25s.BM25()
index.index([["มผช", "มาตรฐาน"], ["อย", "อาหาร"]], show_progress=False)
print(len(index.retrieve([["มผช"]], k=1, show_progress=False).documents))
"""


def run(level: str) -> subprocess.CompletedProcess[str]:
    code = SCRIPT.format(level=level)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)


def test_building_a_bm25_index_logs_nothing_at_info() -> None:
    done = run("INFO")
    assert done.stdout.strip() == "1"
    assert '"logger": "bm25s"' not in done.stderr and '"level": "debug"' not in done.stderr, done.stderr


def test_debug_still_shows_them_when_asked_for() -> None:
    assert '"logger": "bm25s"' in run("DEBUG").stderr
