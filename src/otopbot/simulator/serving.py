"""Serve a WSGI app on 127.0.0.1 in a background thread (test fixtures and local mode)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


@dataclass
class ServedApp:
    """A running server: `url` has no trailing slash; call `shutdown()` to stop it."""

    url: str
    server: BaseWSGIServer = field(repr=False)
    thread: threading.Thread = field(repr=False)

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


class _QuietHandler(WSGIRequestHandler):
    """No per-request access log lines in test output (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def serve_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> ServedApp:
    """Start a threaded werkzeug server on a free port (port=0); it accepts once this returns."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{server.server_port}", daemon=True)
    thread.start()
    return ServedApp(url=f"http://{host}:{server.server_port}", server=server, thread=thread)
