"""Structured (JSON-lines) logs in English, without personal data: LINE user ids are hashed by callers."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = _where(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _where(exc_info: Any) -> str:
    """The exception's type and the frames it passed through, without its message.

    Exception messages can quote the data being handled (SQL parameters, a user's text), so they are
    left out; the frames are enough to find the code that failed.
    """
    kind, _error, tb = exc_info
    frames = traceback.extract_tb(tb)[-6:]
    path = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{kind.__name__} at {path}"


def configure(level: str = "INFO") -> None:
    """The one place that decides what reaches the log.

    The handler itself filters at `level`: a library that sets its own logger to DEBUG when imported
    (bm25s does, after this runs) cannot print debug lines at LOG_LEVEL=INFO.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(level)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("werkzeug").setLevel("WARNING")
    logging.getLogger("urllib3").setLevel("ERROR")  # its retry warnings print URLs holding LINE user ids
