"""The NLU never reaches the network and never writes PyThaiNLP data, even with an empty data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from nlu_paths import BOT

from otopbot.nlu import cache
from otopbot.nlu.content import content_hash
from otopbot.nlu.engine import NluEngine

SCRIPT = textwrap.dedent(
    """
    import socket, sys
    from datetime import date
    from pathlib import Path

    def guard(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request", "http.client.connect"):
            raise RuntimeError(f"network attempt: {event}")

    sys.addaudithook(guard)
    from otopbot.nlu.engine import NluEngine
    engine = NluEngine(Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
    result = engine.understand("ขอจองอบรมเซรามิกที่โคราช ๒ ที่ พรุ่งนี้ค่ะ", date(2025, 6, 11))
    print(result.intent, result.entities.province, result.entities.count, result.entities.date)
    try:
        socket.create_connection(("example.org", 80), timeout=1)
    except RuntimeError:
        print("guard-works")
    """
)


def test_engine_works_offline_with_empty_pythainlp_data(tmp_path: Path, engine: NluEngine) -> None:
    cache.save(engine.model, cache.cache_file(tmp_path / "cache", content_hash(BOT)))  # skip sklearn
    data = tmp_path / "pythainlp-data"
    data.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")}
    env.update(PYTHAINLP_DATA=str(data), HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(BOT), str(tmp_path / "cache")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split()
    assert lines[:4] == ["book_workshop", "นครราชสีมา", "2", "2025-06-12"]
    assert "guard-works" in lines
    assert list(data.iterdir()) == []
    assert not (home / "pythainlp-data").exists()
