"""Serve a WSGI app on 127.0.0.1 in a background thread (test fixtures and local mode).

Connections are kept alive (HTTP/1.1), as LINE's own servers keep them: werkzeug's development
handler answers ``Connection: close`` to every request and then waits up to 10 ms for stray request
bytes, so every call to the simulator cost a TCP connect, a new server thread and a new client
connection (about 3 ms of CPU per answer on both sides). Responses here are buffered (the simulator's
are small JSON, HTML and images), sent with their Content-Length, the request body is read to its end,
and the connection then waits for the next request. `ServedApp.shutdown` closes kept connections too,
so a stopped server stops answering at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Self

from werkzeug.exceptions import InternalServerError
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wsgi import LimitedStream

_NO_BODY_STATUSES = frozenset({204, 304})
_live: weakref.WeakKeyDictionary[BaseWSGIServer, set[socket.socket]] = weakref.WeakKeyDictionary()
_live_lock = threading.Lock()


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
        _close_kept_connections(self.server)
        self.thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


class KeepAliveHandler(WSGIRequestHandler):
    """werkzeug's request handler with HTTP/1.1 persistent connections (see the module docstring)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes; do not wait for the peer's ACK

    def handle(self) -> None:
        with _live_lock:
            _live.setdefault(self.server, set()).add(self.connection)
        try:
            super().handle()
        finally:
            with _live_lock:
                _live.get(self.server, set()).discard(self.connection)

    def run_wsgi(self) -> None:
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self.make_environ()  # (not kept on self: log lines then name the peer by its socket address)
        body = self._bounded_input(environ)
        try:
            status, headers, chunks = _call(self.server.app, environ)
        except Exception as error:  # what werkzeug's handler does: log it, answer 500, keep serving
            if self.server.passthrough_errors:
                raise
            self.server.log("error", f"Error on request {environ.get('PATH_INFO')}: {error!r}")
            status, headers, chunks = _call(InternalServerError(), environ)
            self.close_connection = True
        if body is None:
            self.close_connection = True  # a chunked upload: its end is not known here, so do not reuse
        else:
            body.exhaust()  # the next request starts right after this one's body
        try:
            self._respond(environ, status, headers, b"".join(chunks))
        except (ConnectionError, TimeoutError) as error:
            self.connection_dropped(error, environ)
            self.close_connection = True

    def _bounded_input(self, environ: dict[str, Any]) -> LimitedStream | None:
        """Give the app a stream that ends at this request's Content-Length (None: chunked body)."""
        length = self.headers.get("Content-Length") or "0"
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower() or not length.isdigit():
            return None
        stream = LimitedStream(self.rfile, int(length))  # type: ignore[arg-type]  # a binary reader is IO[bytes]
        environ["wsgi.input"] = stream
        return stream

    def _respond(self, environ: dict[str, Any], status: str, headers: list[tuple[str, str]], data: bytes) -> None:
        code_text, _, reason = status.partition(" ")
        code = int(code_text)
        self.send_response(code, reason)
        names = set()
        for name, value in headers:
            if name.lower() != "connection":
                self.send_header(name, value)
                names.add(name.lower())
        head = environ["REQUEST_METHOD"] == "HEAD"
        if "content-length" not in names and not head and code >= 200 and code not in _NO_BODY_STATUSES:
            self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if data and not head:
            self.wfile.write(data)


class _QuietHandler(KeepAliveHandler):
    """No per-request access log lines in test output (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def _call(
    app: Callable[..., Iterable[bytes]], environ: dict[str, Any]
) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    """Run a WSGI app to the end: its status, headers and body chunks."""
    started: list[Any] = []
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        started[:] = [status, list(headers)]
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return started[0], started[1], chunks


def _close_kept_connections(server: BaseWSGIServer) -> None:
    with _live_lock:
        connections = list(_live.pop(server, ()))
    for connection in connections:
        with contextlib.suppress(OSError):  # the peer closed it already
            connection.shutdown(socket.SHUT_RDWR)


def serve_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> ServedApp:
    """Start a threaded werkzeug server on a free port (port=0); it accepts once this returns."""
    handler = _QuietHandler if quiet else KeepAliveHandler
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{server.server_port}", daemon=True)
    thread.start()
    return ServedApp(url=f"http://{host}:{server.server_port}", server=server, thread=thread)
