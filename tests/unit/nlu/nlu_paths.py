"""Where the NLU tests find the bot's content and the shared development sets."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
BOT = REPO / "bot"
SHARED_EVAL = REPO / ".." / "shared" / "eval"
