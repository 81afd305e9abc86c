"""Database edge: the async engine, sessions, and UTC-aware time columns."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import DateTime, MetaData, event, exc, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from app.metrics import READ_CACHE

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; always returns them aware (UTC), on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; times must carry an offset")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine; SQLite gets foreign keys and a busy timeout."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(pool_size=10, max_overflow=20)
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        _ping_idle_connections(engine)
        if engine.dialect.driver == "asyncpg":
            _translate_connect_failures(engine)
    return engine


CANNOT_CONNECT = "08001"  # SQLSTATE sqlclient_unable_to_establish_sqlconnection
CONNECT_TIMEOUT_SECONDS = 10.0  # asyncpg waits 60 s by default: a request would hang that long


def _translate_connect_failures(engine: AsyncEngine) -> None:
    """Make a failed asyncpg connect a DBAPI ``OperationalError``, as every other database error is.

    Without it a refused connection, a time-out or PostgreSQL refusing a new session (starting up,
    too many connections) reaches the app as a bare ``OSError`` or asyncpg error, which no handler can
    tell from a bug: a 500. Translated, SQLAlchemy wraps it like any database error and
    ``app.problems`` answers 503 with ``Retry-After``. The error keeps PostgreSQL's SQLSTATE when it
    has one (a wrong password stays 28P01, a configuration fault); a failure below PostgreSQL (no
    route, refused, timed out) gets 08001. A ``do_connect`` listener, so every option of the URL
    reaches asyncpg exactly as without it; only the connect time-out gets a default.
    """
    dbapi = engine.dialect.loaded_dbapi

    @event.listens_for(engine.sync_engine, "do_connect")
    def _connect(dialect: Dialect, _record: ConnectionPoolEntry, cargs: list[Any], cparams: dict[str, Any]) -> Any:
        cparams.setdefault("timeout", CONNECT_TIMEOUT_SECONDS)
        try:
            return dialect.connect(*cargs, **cparams)
        except dbapi.Error:
            raise
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            failure = dbapi.OperationalError(f"cannot connect to the database: {error}", error)
            if getattr(failure, "sqlstate", None) is None:  # the adapter copies PostgreSQL's, when there is one
                failure.sqlstate = failure.pgcode = CANNOT_CONNECT  # type: ignore[attr-defined]
            raise failure from error


IDLE_PING_SECONDS = 10.0


def _ping_idle_connections(engine: AsyncEngine) -> None:
    """Check a pooled connection before use if it sat idle for ``IDLE_PING_SECONDS``: one that outlived a
    database restart or a dropped link is replaced instead of failing the request.

    SQLAlchemy's ``pool_pre_ping`` checks every checkout; with asyncpg that is three round trips (BEGIN,
    an empty statement, ROLLBACK), about 12 % of a cheap read's CPU in the load benchmark, where a
    connection goes back to work milliseconds after it was returned. This is SQLAlchemy's documented
    pessimistic recipe (a ``checkout`` listener raising ``DisconnectionError``), limited to idle connections.
    """
    dialect = engine.dialect

    @event.listens_for(engine.sync_engine, "checkin")
    def _returned(_dbapi: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _taken(dbapi: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            dialect.do_ping(dbapi)
        except Exception as error:
            if dialect.is_disconnect(error, dbapi, None):  # type: ignore[arg-type]
                raise exc.DisconnectionError("the pooled connection is gone; reconnecting") from error
            raise


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class ReadCache:
    """A bounded least-recently-used map of reads built from one database's rows.

    Keys must name everything the value was built from, versions included (a key such as
    ``(participant id, profile version, time zone)``): then an entry can be stale only under a key
    nobody asks for any more, and no invalidation is needed. One per sessionmaker, so per database:
    ids of two databases (tests, several apps in one process) never meet.
    """

    def __init__(self, name: str, capacity: int) -> None:
        self.name = name
        self.capacity = capacity
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = self.misses = 0
        self._hit = READ_CACHE.labels(name, "hit")
        self._miss = READ_CACHE.labels(name, "miss")

    def get(self, key: Hashable) -> Any | None:
        value = self._items.get(key)
        if value is None:
            self.misses += 1
            self._miss.inc()
            return None
        self._items.move_to_end(key)
        self.hits += 1
        self._hit.inc()
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


# Per process, at most: 5,000 public profiles (about 14 KB each with their offers and requests: 70 MB),
# a large event's whole population; 1,000 suggestion pages of 20 (about 63 KB each: 63 MB).
PROFILE_CACHE_SIZE = 5_000
PAGE_CACHE_SIZE = 1_000


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions of ``engine``; each session's ``info`` holds this sessionmaker's :class:`ReadCache` s:
    ``profiles``, public participant profiles (``services.participants.read_many``), and ``pages``,
    suggestion pages as JSON (``services.matching.suggestions_page_json``)."""
    caches = {"profiles": ReadCache("profiles", PROFILE_CACHE_SIZE), "pages": ReadCache("pages", PAGE_CACHE_SIZE)}
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False, info=caches)


def read_cache(session: AsyncSession, name: str) -> ReadCache | None:
    """The sessionmaker's cache ``name``, if the session came from :func:`create_sessionmaker`."""
    cache = session.info.get(name)
    return cache if isinstance(cache, ReadCache) else None


@asynccontextmanager
async def session_scope(maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on any error."""
    async with maker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


BULK_ROWS = 500  # a write of this many rows refreshes the planner's statistics of its tables


async def analyze(session: AsyncSession, *tables: str) -> None:
    """Refresh PostgreSQL's planner statistics of ``tables`` (our own table names) after a bulk write.

    An event is imported and matched minutes before its session opens, before autovacuum has looked at
    the new rows: with statistics of near-empty tables PostgreSQL plans the suggestion page with a scan
    of every participant (3.5 ms instead of 0.5 ms a read in the load benchmark). Callers: imports
    (participants), matching runs (suggestions), scheduling runs (meetings and their seats). Inside the
    writing transaction, so the statistics count its rows. SQLite plans well without them: nothing to do
    there.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        await session.execute(text(f"ANALYZE {metadata.tables[table].name}"))  # a known table, never input
