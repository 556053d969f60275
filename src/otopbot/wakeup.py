"""Wake the answering worker the moment an event is stored (PostgreSQL LISTEN/NOTIFY).

The web process only stores events and says so on the `otopbot_inbound` channel in the same
statement (`events.store_events(announce=True)`); PostgreSQL delivers the notification at commit,
never for a rolled-back store. A worker waiting in `Wakeup.wait` returns at once and answers, so the
webhook threads never spend time on answers. Polling stays underneath: a lost notification or a
restarted listener costs at most one poll interval. SQLite has no notifications, so there the wait is a plain sleep.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)
CHANNEL = "otopbot_inbound"
STOP_CHECK_SECONDS = 0.5


class Wakeup:
    """Sleep until work is announced or `timeout` passes; reconnects lazily after a failure."""

    def __init__(self, database_url: str, stop: threading.Event) -> None:
        url = make_url(database_url)
        self._dsn = (
            url.set(drivername="postgresql").render_as_string(hide_password=False)
            if url.get_backend_name() == "postgresql"
            else None
        )
        self._stop = stop
        self._connection: Any = None

    def wait(self, timeout: float) -> bool:
        """True when woken by a notification, False after the timeout (or on SQLite)."""
        if self._dsn is None:
            self._stop.wait(timeout)
            return False
        try:
            connection = self._listening(self._dsn)
            deadline = time.monotonic() + timeout
            while not self._stop.is_set():  # in short slices, so that stopping is never held up
                slice_ = min(STOP_CHECK_SECONDS, deadline - time.monotonic())
                if slice_ <= 0:
                    return False
                if any(True for _ in connection.notifies(timeout=slice_, stop_after=1)):
                    self._drain(connection)
                    return True
            return False
        except Exception:  # a broken listener must not stop the worker: fall back to polling
            log.warning("notification listener unavailable; polling instead", exc_info=True)
            self.close()
            self._stop.wait(timeout)
            return False

    def _listening(self, dsn: str) -> Any:
        if self._connection is None:
            import psycopg

            self._connection = psycopg.connect(dsn, autocommit=True)
            self._connection.execute(f"LISTEN {CHANNEL}")
        return self._connection

    @staticmethod
    def _drain(connection: Any) -> None:
        """Several events stored at once make several notifications; one pass answers them all."""
        for _ in connection.notifies(timeout=0):
            pass

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None
