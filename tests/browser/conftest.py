"""Browser-test fixtures: the bot in local mode (simulator chat page and console) on a free port."""

from __future__ import annotations

import socket

import pytest

from otopbot.local import _start_worker, local_app, prepare_database
from otopbot.settings import Settings
from otopbot.simulator.serving import serve_in_thread


@pytest.fixture
def local_bot(settings: Settings):  # type: ignore[no-untyped-def]
    """The base URL of the bot in local mode: chat page at /simulator/_sim/, console at /console/."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    prepare_database(settings)
    app = local_app(settings, f"http://127.0.0.1:{port}")
    stop = _start_worker(app)
    served = serve_in_thread(app, port=port)
    yield served.url
    stop.set()
    served.shutdown()
