"""The project's exceptions, so callers catch what they mean and nothing more.

OtopbotError
├── ConfigError          a setting is missing or malformed (raised before the server starts)
├── ContentError         a file under bot/ is invalid (names the file and key)
└── LineApiError         a Messaging API call failed
    ├── LineRetryable    429, 5xx, timeouts, connection errors: try again later, same retry key
    │   └── LineOutcomeUnknown   the request may have reached LINE (read timeout, dropped connection)
    └── LineRejected     any other 4xx: retrying the same request cannot succeed
"""

from __future__ import annotations


class OtopbotError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigError(OtopbotError):
    """A setting is missing or malformed; the message names the variable."""


class ContentError(OtopbotError):
    """A bot content file is invalid; the message names the file and the key."""


class LineApiError(OtopbotError):
    """A call to the Messaging API failed."""

    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class LineRetryable(LineApiError):
    """The call may succeed later with the same retry key (429, 5xx, timeout)."""


class LineOutcomeUnknown(LineRetryable):
    """LINE may have acted on the request; only a retry key makes trying again safe."""


class LineRejected(LineApiError):
    """LINE refused the request; sending it again unchanged cannot help."""
