"""A Piccolo SQLite engine that keeps its connections.

Piccolo's SQLiteEngine opens a new aiosqlite connection — a new thread, a new file
handle, a PRAGMA — for every query outside a transaction and for every
transaction; under load that cost more than the queries themselves. This engine
keeps a small pool of open connections per event loop and hands them to queries
and transactions alike. Write transactions still begin IMMEDIATE, so SQLite's single
write lock keeps serialising writers exactly as before.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

# WAL with synchronous=NORMAL: a commit is durable against a crash of the process;
# only a power loss can take back the last commits. FULL would fsync every commit
# and cap writes at the disk's fsync rate.
_CONNECTION_PRAGMAS = (
    "PRAGMA foreign_keys = 1",
    "PRAGMA synchronous = NORMAL",
)


class _PooledConnection:
    """Looks like an aiosqlite connection; closing it gives it back to the pool."""

    __slots__ = ("_raw", "_pool")

    def __init__(self, raw: aiosqlite.Connection, pool: _Pool):
        object.__setattr__(self, "_raw", raw)
        object.__setattr__(self, "_pool", pool)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._raw, name, value)

    async def close(self) -> None:
        await self._pool.release(self._raw)


class _Pool:
    def __init__(self, engine: PooledSQLiteEngine):
        self.engine = engine
        self.idle: list[aiosqlite.Connection] = []
        self.writers = asyncio.Lock()

    async def acquire(self) -> aiosqlite.Connection:
        if self.idle:
            return self.idle.pop()
        connection = await aiosqlite.connect(**self.engine.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in _CONNECTION_PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def release(self, connection: aiosqlite.Connection) -> None:
        if connection.in_transaction:
            # Never hand on a connection in an unknown state.
            await connection.rollback()
        if len(self.idle) < self.engine.max_idle:
            self.idle.append(connection)
        else:
            await connection.close()

    async def close(self) -> None:
        idle, self.idle = self.idle, []
        for connection in idle:
            await connection.close()


class PooledSQLiteTransaction(SQLiteTransaction):
    __slots__ = ("_writer_turn",)

    async def get_connection(self):
        return _PooledConnection(await self.engine._pool().acquire(), self.engine._pool())

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        self._writer_turn = None
        if self.transaction_type is not TransactionType.deferred:
            # Writers of this process queue here in arrival order instead of all
            # polling SQLite's busy handler, whose back-off sleeps make the wait of
            # an unlucky writer grow to seconds under a herd.
            self._writer_turn = self.engine._pool().writers
            await self._writer_turn.acquire()
        try:
            self.connection = await self.get_connection()
            try:
                await self.begin()
            except BaseException:
                await self.connection.close()
                raise
        except BaseException:
            self._release_turn()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        finally:
            if self._parent is None:
                self._release_turn()

    def _release_turn(self) -> None:
        if self._writer_turn is not None:
            self._writer_turn.release()
            self._writer_turn = None


class PooledSQLiteEngine(SQLiteEngine):
    __slots__ = ("max_idle", "_pools")

    def __init__(self, path: str, max_idle: int = 8, **connection_kwargs: Any):
        super().__init__(path=path, **connection_kwargs)
        self.max_idle = max_idle
        # One pool per event loop: CLI commands each run their own loop.
        self._pools: dict[int, _Pool] = {}

    def _pool(self) -> _Pool:
        key = id(asyncio.get_running_loop())
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _Pool(self)
        return pool

    def transaction(self, transaction_type: TransactionType = TransactionType.deferred,
                    allow_nested: bool = True) -> SQLiteTransaction:
        return PooledSQLiteTransaction(engine=self, transaction_type=transaction_type,
                                       allow_nested=allow_nested)

    async def _run_in_new_connection(self, query: str, args: list[Any] | None = None,
                                     query_type: str = "generic", table: Any = None):
        pool = self._pool()
        connection = await pool.acquire()
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
            await connection.commit()
            return rows
        finally:
            await pool.release(connection)

    async def _run_in_existing_connection(self, connection, query: str,
                                          args: list[Any] | None = None,
                                          query_type: str = "generic", table: Any = None):
        # The pragmas were set once when the connection was opened.
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()

    async def close_pools(self) -> None:
        pools, self._pools = self._pools, {}
        for pool in pools.values():
            await pool.close()
