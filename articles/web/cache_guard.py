"""Cache calls that cannot fail a request.

The cache (Redis in production) only saves work: when it cannot be reached, a page is rendered from the
database and a rate limit is skipped, rather than a reader getting an error. Each failure is logged as a
warning, at most once a minute per process, so an outage is seen in the log without flooding it.

A Redis that is down answers at once (connection refused), but one that hangs makes each call wait its
socket timeout (half a second, and one retry: ivmt_site/settings.py), and a page makes several calls. So after
a call fails for want of a connection, the process stops calling for PAUSE_SECONDS: requests meanwhile go
straight to the fallback, and only one request a second pays the timeout until Redis answers again.
"""

import logging
import time
from collections.abc import Callable

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

WARNING_INTERVAL_SECONDS = 60
PAUSE_SECONDS = 1.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = -float("inf")
_paused_until = 0.0


def cache_paused() -> bool:
    return time.monotonic() < _paused_until


def cache_call[T](action: str, call: Callable[[], T], fallback: T, *, even_if_paused: bool = False) -> T:
    """Run one cache operation; on any failure of the cache, log (throttled) and return `fallback`.
    `even_if_paused` tries even while calls are paused (for a background retry that must see Redis return)."""
    global _last_warning, _paused_until
    if not even_if_paused and cache_paused():
        return fallback
    try:
        return call()
    # redis-py raises its own error classes (and a misconfigured backend others): none may fail a request.
    except Exception as error:  # noqa: BLE001
        now = time.monotonic()
        if isinstance(error, UNREACHABLE):
            _paused_until = now + PAUSE_SECONDS
        if now - _last_warning >= WARNING_INTERVAL_SECONDS:
            _last_warning = now
            logger.warning("Cache unavailable (%s: %s); serving from the database", action, error)
        return fallback
