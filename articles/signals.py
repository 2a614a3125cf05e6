"""Signals the content system sends, so that code above it (the page cache in ivmt_site) can act on content
changes without the content system importing it.

`content_loaded` is sent by `loadcontent` after it wrote anything. A receiver returns False when it could not
pass the change on (the page cache, when Redis cannot be reached), and the command then says so.

`rolled_back_changes()` marks saves made only to be rolled back (`loadcontent --check`): code reacting to
a save at once, before the commit (the page cache), leaves them alone.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

content_loaded = Signal()

_rolling_back: ContextVar[bool] = ContextVar("rolling_back", default=False)


@contextmanager
def rolled_back_changes() -> Iterator[None]:
    """Saves made inside are rolled back before anyone may see them."""
    token = _rolling_back.set(True)
    try:
        yield
    finally:
        _rolling_back.reset(token)


def changes_will_be_rolled_back() -> bool:
    return _rolling_back.get()
