"""All configuration, read once from the environment into a frozen `Settings`.

This is the only module that reads `os.environ`. A missing or malformed production setting raises
`ConfigError` naming the variable before any server starts.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from otopbot.errors import ConfigError

TIME_ZONE = "Asia/Bangkok"  # the programme's one zone for everything users see; clock.BANGKOK is built from it
LINE_DEFAULT_API = "https://api.line.me"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_dir(name: str) -> Path:
    """Find bot/ or locales/ beside the checkout; fall back to the current directory."""
    for base in (PROJECT_ROOT, Path.cwd()):
        if (base / name).is_dir():
            return base / name
    return Path.cwd() / name


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot needs to run; tests build it directly."""

    database_url: str
    secret_key: str
    line_channel_secret: str | None = None
    line_channel_access_token: str | None = None
    line_api_base_url: str = LINE_DEFAULT_API
    content_dir: Path = field(default_factory=lambda: _default_dir("bot"))
    locales_dir: Path = field(default_factory=lambda: _default_dir("locales"))
    public_base_url: str | None = None
    line_timeout_seconds: float = 5.0
    worker_poll_seconds: float = 0.5
    worker_nice: int = 5  # added to the worker's CPU niceness: on a shared machine acks win (see worker.loop)
    log_level: str = "INFO"
    retention_days: int = 30  # processed webhooks and delivered one-to-one messages are scrubbed after this
    local: bool = False  # local mode: the LINE simulator stands in for LINE, in this process
    web_answers: bool | None = None  # None: decide by database (see `answers_in_web`)

    @property
    def connected(self) -> bool:
        """True when a real (or staging) LINE channel is configured, not the local simulator."""
        return self.line_channel_secret is not None and not self.local

    @property
    def answers_in_web(self) -> bool:
        """Whether the web process answers fresh events itself, right after its 200.

        On PostgreSQL the worker is woken at once by NOTIFY, so the web process only stores events
        and its threads stay free for LINE's webhooks; SQLite has no notifications (local mode).
        """
        if self.web_answers is not None:
            return self.web_answers
        return self.database_url.startswith("sqlite")

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, require_line: bool = False) -> Settings:
        """Read and check the environment; raise ConfigError naming the first bad variable.

        `require_line` is for processes that only make sense connected to LINE (gunicorn, worker).
        """
        env = os.environ if env is None else env
        secret = _optional(env, "LINE_CHANNEL_SECRET")
        if require_line and not secret:
            raise ConfigError("LINE_CHANNEL_SECRET is not set (the channel secret from the LINE Developers console)")
        token = _optional(env, "LINE_CHANNEL_ACCESS_TOKEN")
        if secret and not token:
            raise ConfigError("LINE_CHANNEL_ACCESS_TOKEN is required when LINE_CHANNEL_SECRET is set")
        if token and not secret:
            raise ConfigError("LINE_CHANNEL_SECRET is required when LINE_CHANNEL_ACCESS_TOKEN is set")
        secret_key = _optional(env, "SECRET_KEY")
        if secret and not secret_key:
            raise ConfigError("SECRET_KEY is required when the bot is connected to LINE")
        if secret_key is not None and len(secret_key) < 16:
            raise ConfigError("SECRET_KEY must be at least 16 characters long")
        base_url = _url(env, "LINE_API_BASE_URL", LINE_DEFAULT_API)
        return cls(
            database_url=_database_url(env),
            secret_key=secret_key or secrets.token_hex(32),
            line_channel_secret=secret,
            line_channel_access_token=token,
            line_api_base_url=base_url,
            content_dir=_path(env, "OTOPBOT_CONTENT_DIR", _default_dir("bot")),
            locales_dir=_path(env, "OTOPBOT_LOCALES_DIR", _default_dir("locales")),
            public_base_url=_optional(env, "PUBLIC_BASE_URL"),
            line_timeout_seconds=_number(env, "LINE_TIMEOUT_SECONDS", 5.0),
            worker_poll_seconds=_number(env, "WORKER_POLL_SECONDS", 0.5),
            worker_nice=_niceness(env, "WORKER_NICE", 5),
            log_level=(_optional(env, "LOG_LEVEL") or "INFO").upper(),
            web_answers=_yes_no_auto(env, "WEB_ANSWERS"),
            retention_days=_whole_days(env, "OTOPBOT_RETENTION_DAYS", 30),
        )


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = _optional(env, name) or default
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{name} must be an http(s) URL, got {value!r}")
    return value.rstrip("/")


def _niceness(env: Mapping[str, str], name: str, default: int) -> int:
    raw = _optional(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number from 0 to 19, got {raw!r}") from None
    if not 0 <= value <= 19:
        raise ConfigError(f"{name} must be a whole number from 0 to 19, got {raw!r}")
    return value


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = _optional(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return value


def _yes_no_auto(env: Mapping[str, str], name: str) -> bool | None:
    raw = (_optional(env, name) or "auto").lower()
    choices = {"auto": None, "yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
    if raw not in choices:
        raise ConfigError(f"{name} must be yes, no or auto, got {raw!r}")
    return choices[raw]


def _whole_days(env: Mapping[str, str], name: str, default: int) -> int:
    raw = _optional(env, name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 3650:
        raise ConfigError(f"{name} must be a whole number of days from 1 to 3650, got {raw!r}")
    return int(raw)


def _path(env: Mapping[str, str], name: str, default: Path) -> Path:
    raw = _optional(env, name)
    path = Path(raw) if raw else default
    if not path.is_dir():
        raise ConfigError(f"{name} must name an existing directory, got {str(path)!r}")
    return path


def _database_url(env: Mapping[str, str]) -> str:
    raw = _optional(env, "DATABASE_URL")
    if raw is None:
        instance = Path.cwd() / "instance"
        instance.mkdir(exist_ok=True)
        return f"sqlite:///{instance / 'otopbot.sqlite3'}"
    if raw.startswith("postgres://"):  # Heroku-style URLs
        raw = "postgresql://" + raw[len("postgres://") :]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://") :]
    if not raw.startswith(("sqlite", "postgresql")):
        raise ConfigError(f"DATABASE_URL must be a sqlite:// or postgresql:// URL, got scheme {raw.split(':')[0]!r}")
    return raw
