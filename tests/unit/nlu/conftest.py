"""One real NLU engine for the NLU tests, trained into a temporary cache (never ~/.cache)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nlu_paths import BOT, REPO, SHARED_EVAL  # noqa: F401  (re-exported for fixtures)

from otopbot.nlu.engine import NluEngine, get_engine


@pytest.fixture(scope="package", autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The model cache lives under HOME: point HOME at a temp folder for these tests."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        yield home


@pytest.fixture(scope="package")
def engine(_private_home: Path) -> NluEngine:
    return get_engine(BOT)
