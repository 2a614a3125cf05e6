"""Whether this process has lately found PostgreSQL not answering, and what it logs about that.

After a wait for the database passed its deadline (base.py), requests that need the database fail at once
with DatabaseOutage for OUTAGE_SECONDS instead of each waiting its own deadline, then one request at a time
tries again; the first success ends the outage. The log says when an outage begins and ends, with how many
requests it refused, and nothing for each refused request (ivmt_site.errors.QuietDuringOutage).
"""

import logging
import threading
import time

from django.db.utils import OperationalError

OUTAGE_SECONDS = 2.0

logger = logging.getLogger(__name__)


class DatabaseOutage(OperationalError):
    """Raised at once, without asking the database, while it is known not to answer. Said once in the log
    when the outage begins and once when it ends (Outage), not for each request it refuses
    (ivmt_site.errors.QuietDuringOutage)."""


class Outage:
    """Whether this process has lately found the database unreachable (shared by all its threads)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._until = 0.0  # 0: no outage known
        self._began = 0.0
        self._refused = 0
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise at once during an outage; past its end, let this caller try (and the others wait another
        period, so that only one request at a time waits on a database that may still be away)."""
        if not self._until:
            return
        with self._lock:
            now = time.monotonic()
            if now < self._until:
                self._refused += 1
                raise DatabaseOutage("The database did not answer lately; not trying again yet.")
            if self._until:
                self._until = now + self.seconds

    def turns_away(self) -> bool:
        """Whether a request that needs the database gets the outage page at once now, without asking it
        (counted for the log line that ends the outage). Past the pause this is False and takes no turn to
        try: check() hands those out."""
        if not self._until or time.monotonic() >= self._until:
            return False
        with self._lock:
            self._refused += 1
        return True

    def begin(self) -> None:
        with self._lock:
            now = time.monotonic()
            beginning = not self._until
            if beginning:
                self._began, self._refused = now, 0
            self._until = now + self.seconds
        if beginning:  # logged outside the lock: requests refused meanwhile need not wait on the log
            logger.error(
                "PostgreSQL did not answer: requests that need it get the outage page at once, and one "
                "request every %g s tries it again",
                self.seconds,
            )

    def end(self) -> None:
        if not self._until:
            return
        with self._lock:
            if not self._until:
                return
            self._until = 0.0
            lasted, refused = time.monotonic() - self._began, self._refused
        logger.warning(
            "PostgreSQL answers again, after %.1f s; %d request(s) got the outage page meanwhile",
            lasted,
            refused,
        )


outage = Outage(OUTAGE_SECONDS)
