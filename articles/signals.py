"""Signals the content system sends, so that code above it (the page cache in ivmt_site) can act on content
changes without the content system importing it.

`content_loaded` is sent by `loadcontent` after it wrote anything. A receiver returns False when it could not
pass the change on (the page cache, when Redis cannot be reached), and the command then says so.
"""

from django.dispatch import Signal

content_loaded = Signal()
