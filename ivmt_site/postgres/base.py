"""Django's PostgreSQL backend, made to give up on a database that has stopped answering.

PostgreSQL's own limits cover a slow server: `connect_timeout` and `statement_timeout` (set in DATABASES'
OPTIONS, ivmt_site/settings.py). They do not cover a server, or a network path, that has frozen: the
connection stays open, nothing comes back, and psycopg waits on the socket for ever, holding a gunicorn
thread (20 such requests filled them all). So every wait for the server here has a deadline of its own
(OPTIONS["deadline"], a little over the statement timeout so that a live server cancels first): a query, a
commit or rollback, the health check before a connection is reused. When it passes, the connection's socket is
shut down from the watchdog's thread; psycopg's wait then ends with an OperationalError, which the site
answers with its 503 page (ivmt_site.errors).

And after such a wait (a deadline passed, or connecting timed out) the process stops asking for a while
(ivmt_site.postgres.outage): a request that needs the database fails at once instead of waiting its own
deadline, so the threads stay free for cached pages and /healthz/, and the site recovers by itself.
"""

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.postgresql import base

from ivmt_site.postgres.outage import outage
from ivmt_site.postgres.watchdog import deadline

SLOW_FAILURE_SECONDS = 1.0


def shut_down(connection: Any) -> None:
    """End a psycopg connection's wait from another thread: shut its socket down (both ways), so the blocked
    read sees the connection closed. Shutting down a duplicate descriptor acts on the same socket."""
    outage.begin()
    duplicate = socket.socket(fileno=os.dup(connection.pgconn.socket))
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    finally:
        duplicate.close()


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._execute_within_deadline)

    @property
    def deadline_seconds(self) -> float | None:
        return self.settings_dict["OPTIONS"].get("deadline")

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params.pop("deadline", None)  # ours, not psycopg's
        return params

    @contextmanager
    def _within_deadline(self) -> Iterator[None]:
        seconds, connection = self.deadline_seconds, self.connection
        if seconds is None or connection is None:
            yield
            return
        with deadline(seconds, lambda: shut_down(connection)):
            yield
        outage.end()

    def _execute_within_deadline(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        outage.check()
        with self._within_deadline():
            return execute(sql, params, many, context)

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        outage.check()
        started = time.monotonic()
        try:
            connection = super().get_new_connection(conn_params)
        except Exception:
            # Only a slow failure (the connect timeout) starts an outage: one that fails at once (connection
            # refused) holds no thread, and the next request should try again, to recover at once.
            if time.monotonic() - started >= SLOW_FAILURE_SECONDS:
                outage.begin()
            raise
        outage.end()
        return connection

    def init_connection_state(self) -> None:
        with self._within_deadline():
            super().init_connection_state()

    def is_usable(self) -> bool:
        with self._within_deadline():
            return super().is_usable()

    def _commit(self) -> None:
        with self._within_deadline():
            return super()._commit()

    def _rollback(self) -> None:
        with self._within_deadline():
            return super()._rollback()
