"""Time limits on calls that cannot be given one of their own: one thread per process checks, ten times a
second, whether a watched call has run past its deadline, and if so runs the action given for it.

An action runs under the same lock as release(), so once release() has returned the action will not run: the
caller can then close or reuse what the action would have touched.
"""

import itertools
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TICK_SECONDS = 0.1

_lock = threading.Lock()
_watched: dict[int, tuple[float, Callable[[], None]]] = {}
_tokens = itertools.count()
_thread_pid = 0


def _check_forever() -> None:
    while True:
        time.sleep(TICK_SECONDS)
        now = time.monotonic()
        with _lock:
            for token in [token for token, (deadline, _) in _watched.items() if deadline <= now]:
                _, action = _watched.pop(token)
                try:
                    action()
                except Exception:  # noqa: BLE001 - the watchdog must outlive any one action
                    pass


def _ensure_thread() -> None:
    """The caller holds _lock. A forked child (a gunicorn worker) starts its own thread."""
    global _thread_pid
    if _thread_pid != os.getpid():
        _thread_pid = os.getpid()
        threading.Thread(target=_check_forever, name="deadline-watchdog", daemon=True).start()


@contextmanager
def deadline(seconds: float, on_expiry: Callable[[], None]) -> Iterator[None]:
    """Run `on_expiry` (from the watchdog's thread) if the block is still running after `seconds`."""
    with _lock:
        _ensure_thread()
        token = next(_tokens)
        _watched[token] = (time.monotonic() + seconds, on_expiry)
    try:
        yield
    finally:
        with _lock:
            _watched.pop(token, None)
