"""This process's copy of the content version, kept current by Redis itself.

Reading the version from Redis on every request costs a round trip, and on a busy server that round trip was
most of the cost of serving a cached page. Instead one connection per process asks Redis to track the version
key (RESP3 `CLIENT TRACKING ... BCAST PREFIX <key>`): whenever any client changes the key, Redis pushes an
invalidation message down that connection, in the same moment it answers the client that changed it. Each
request only looks, without waiting, whether anything has arrived on the socket (a few microseconds); if so it
reads the version again.

So a change made through another server is seen by this one before that server's reply can reach anyone: on
the very next request. If the tracking connection dies silently, the version is still read again at least
every REFRESH_SECONDS. On any error the watch steps aside (None) and the caller reads the version itself; it
tries to reconnect after RETRY_SECONDS.
"""

import os
import threading
import time
from typing import Any

from redis.connection import Connection, parse_url
from redis.exceptions import RedisError

REFRESH_SECONDS = 1.0
RETRY_SECONDS = 5.0
TIMEOUT_SECONDS = 0.5
CLIENT_NAME = "ivmt-version-watch"


class VersionWatch:
    def __init__(self, redis_url: str, key: str) -> None:
        self.redis_url = redis_url
        self.key = key
        self.reads = 0  # GETs sent to Redis (the point is to send few)
        self._lock = threading.Lock()  # gthread workers ask from several threads
        self._connection: Connection | None = None
        self._pid = 0
        self._version: int | None = None
        self._read_at = 0.0
        self._failed_at = -RETRY_SECONDS

    def current(self) -> int | None:
        """The content version, or None when it cannot be known here (the caller then asks Redis itself)."""
        with self._lock:
            now = time.monotonic()
            try:
                if self._connection is None or self._pid != os.getpid():
                    if now - self._failed_at < RETRY_SECONDS:
                        return None
                    self._connect()
                elif self._connection.can_read(timeout=0) or now - self._read_at > REFRESH_SECONDS:
                    self._drain()
                    self._read()
            except (RedisError, OSError, ValueError):
                self._close()
                self._failed_at = now
                return None
            return self._version

    def expire(self) -> None:
        """Read the version again on the next call (this process has just changed it)."""
        with self._lock:
            self._read_at = -REFRESH_SECONDS

    def _connect(self) -> None:
        self._close()
        options: dict[str, Any] = parse_url(self.redis_url)
        connection_class = options.pop("connection_class", Connection)
        self._connection = connection_class(
            **options,
            protocol=3,
            socket_timeout=TIMEOUT_SECONDS,
            socket_connect_timeout=TIMEOUT_SECONDS,
            client_name=CLIENT_NAME,  # so it can be told apart in Redis's CLIENT LIST
        )
        self._pid = os.getpid()  # a forked child must not read its parent's socket
        self._connection.connect()
        self._connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self.key)
        if self._connection.read_response() not in (b"OK", "OK"):
            raise RedisError("Redis refused CLIENT TRACKING")
        self._read()

    def _drain(self) -> None:
        """Consume the invalidation messages that have arrived (redis-py handles each push as it reads it)."""
        assert self._connection is not None
        while self._connection.can_read(timeout=0):
            self._connection.read_response(push_request=True, timeout=0)

    def _read(self) -> None:
        assert self._connection is not None
        self._connection.send_command("GET", self.key)
        raw = self._connection.read_response()
        self.reads += 1
        self._read_at = time.monotonic()
        # Django's Redis backend stores an int as its digits; anything else (missing, or written by another
        # release) is the caller's to replace, and its change will arrive here as a push.
        self._version = int(raw) if isinstance(raw, bytes) and raw.isdigit() else None

    def _close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            try:
                self._connection.disconnect()
            except (RedisError, OSError):
                pass
        self._connection = None
        self._version = None
