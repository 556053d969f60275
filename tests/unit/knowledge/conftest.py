"""Fixtures for the knowledge tests: the index built from bot/knowledge, and the held-out phrasings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from otopbot.knowledge.search import SearchIndex, index_from_content

ROOT = Path(__file__).resolve().parents[3]
HELDOUT = Path(__file__).with_name("heldout.yml")
ASK_DEV = ROOT / ".." / "shared" / "eval" / "ask-dev.yml"


@pytest.fixture(scope="session")
def content_index() -> SearchIndex:
    return index_from_content(ROOT / "bot")


@pytest.fixture(scope="session")
def heldout() -> list[dict[str, Any]]:
    return list(yaml.safe_load(HELDOUT.read_text(encoding="utf-8")))
