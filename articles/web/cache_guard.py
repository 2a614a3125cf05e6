"""Cache calls that cannot fail a request.

The cache (Redis in production) only saves work: when it cannot be reached, a page is rendered from the
database and a rate limit is skipped, rather than a reader getting an error. Each failure is logged as a
warning, at most once a minute per process, so an outage is seen in the log without flooding it.
"""

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

WARNING_INTERVAL_SECONDS = 60
_last_warning = -float("inf")


def cache_call[T](action: str, call: Callable[[], T], fallback: T) -> T:
    """Run one cache operation; on any failure of the cache, log (throttled) and return `fallback`."""
    global _last_warning
    try:
        return call()
    # redis-py raises its own error classes (and a misconfigured backend others): none may fail a request.
    except Exception as error:  # noqa: BLE001
        now = time.monotonic()
        if now - _last_warning >= WARNING_INTERVAL_SECONDS:
            _last_warning = now
            logger.warning("Cache unavailable (%s: %s); serving from the database", action, error)
        return fallback
