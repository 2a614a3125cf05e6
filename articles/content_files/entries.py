"""What reading content files produces: an entry per record, and problems that name the file and line."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from articles.fingerprints import fingerprint
from articles.models import LoadedFromFile, RenderedBody
from articles.rendering import bodies


def display_path(path: Path) -> str:
    """A path as short as it can be read: relative to the working folder when it is inside it."""
    return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


# A problem is said in a few lines at most, whatever a file quotes into it (a 7 MB value, say).
MAX_MESSAGE_CHARACTERS = 600


@dataclass(frozen=True)
class ContentError:
    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{display_path(self.path)}:{self.line}" if self.line else display_path(self.path)
        message = self.message
        if len(message) > MAX_MESSAGE_CHARACTERS:
            message = message[:MAX_MESSAGE_CHARACTERS] + f"... (cut short: {len(message):,} characters)"
        return f"{where}: {message}"


@dataclass(frozen=True)
class Entry:
    """One record's worth of content read from a file."""

    model: type[LoadedFromFile]
    key: str
    values: dict[str, Any]
    path: Path
    body_field: str | None = None  # the Markdown field, for citation and link checks
    body_line: int = 1  # the file line the body starts on: problems found in the body are reported there

    @cached_property
    def fingerprint(self) -> str:
        """The fingerprint of what the file says (articles.fingerprints), which the load compares with the
        record's."""
        return fingerprint(self.values)

    def file_line(self, body_line: int | None) -> int | None:
        """A line of the body as a line of its file."""
        return None if body_line is None else body_line + self.body_line - 1

    def describe(self) -> str:
        return f"{self.model._meta.verbose_name} {self.key!r} ({display_path(self.path)})"

    @property
    def anchor_prefix(self) -> str:
        """How the body's reference anchors start, as the model's save renders them."""
        assert issubclass(self.model, RenderedBody), self.model
        return self.model.anchor_prefix_for(self.key)


# The site links of the HTML already stored for an entry's body (RenderedBody.site_links), if the database
# holds a record with exactly that body; None otherwise. Lets an unchanged body's links be checked without
# rendering it again.
StoredLinks = Callable[[Entry], list[str] | None]


@dataclass
class ContentSet:
    entries: list[Entry] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    # Site paths of files that exist but could not be read: links to them are not reported a second time.
    unreadable_paths: set[str] = field(default_factory=set)
    # Keys of records whose files name them but hold problems (reported already): other files may still
    # refer to them without a second, misleading problem ("not a reference").
    broken_keys: set[tuple[type[LoadedFromFile], str]] = field(default_factory=set)
    # Bodies rendered (Markdown and sanitizer) to check their links, by (model, key): saving reuses them.
    rendered: dict[tuple[type[LoadedFromFile], str], bodies.SanitizedBody] = field(default_factory=dict)

    def of(self, model: type[LoadedFromFile]) -> list[Entry]:
        return [entry for entry in self.entries if entry.model is model]

    def keys_of(self, model: type[LoadedFromFile]) -> frozenset[str]:
        """The keys of `model` that the files name, including those of records with problems."""
        broken = {key for broken_model, key in self.broken_keys if broken_model is model}
        return frozenset(entry.key for entry in self.of(model)) | broken

    def block_entries(self) -> list[Entry]:
        """The shared blocks the files hold: bodies that use no other block."""
        return [entry for entry in self.entries if entry.body_field and not entry.model.USES_BLOCKS]

    def block_sources(self) -> dict[str, str]:
        """The shared blocks' Markdown by name, as render_body takes them."""
        return {
            entry.key: entry.values[entry.body_field] for entry in self.block_entries() if entry.body_field
        }
