"""The database: engine, sessions, the declarative `Base`, and the SQLite/PostgreSQL differences.

Everything that differs between SQLite (the embedded default) and PostgreSQL (production) is
handled here, so models and services are written once.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event, exc
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    """Base class of every model."""


class UTCDateTime(TypeDecorator[datetime]):
    """Store instants as naive UTC and hand back aware UTC datetimes on both databases."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    """Create the engine; on SQLite use WAL, a busy timeout and immediate write transactions."""
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_size=5, max_overflow=5)
        _ping_when_idle(engine)
        return engine
    memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if memory else None,
    )
    _tune_sqlite(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle for a while (pessimistic disconnects).

    `pool_pre_ping` pings before *every* transaction, a round trip each: a third of an answer's
    round trips were pings. A connection used a moment ago is as alive as a ping would prove; one
    idle for a few seconds (across a database restart, say) is pinged and replaced if dead. A
    restart in the middle of a burst costs each process one failed transaction, which the webhook
    answers with 500 (LINE redelivers) and the worker retries.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the pool replaces the connection and tries again
            raise exc.DisconnectionError(f"pooled connection is dead: {type(error).__name__}") from error


def _tune_sqlite(engine: Engine) -> None:
    """Take the write lock at BEGIN so concurrent writers queue instead of deadlocking."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine and its session factory; one per process, passed explicitly."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session in one transaction: commit on success, roll back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def insert_ignoring_duplicates(session: Session, model: type[Base], row: dict[str, Any], key: str) -> int | None:
    """Insert one row unless its unique `key` already exists; return the new row's id, or None.

    RETURNING tells us whether the row went in; rowcount is not reliable for this across drivers.
    """
    statement = insert_ignoring_duplicates_statement(session.get_bind().dialect.name, model, row, key)
    inserted = session.execute(statement.returning(model.id)).scalar_one_or_none()  # type: ignore[attr-defined]
    return int(inserted) if inserted is not None else None


def insert_ignoring_duplicates_statement(dialect: str, model: type[Base], row: dict[str, Any], key: str) -> Any:
    """`INSERT … ON CONFLICT (key) DO NOTHING` of one row, for either database."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).values(row).on_conflict_do_nothing(index_elements=[key])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model).values(row).on_conflict_do_nothing(index_elements=[key])
