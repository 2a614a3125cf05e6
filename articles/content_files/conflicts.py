"""A record changed both in its file and in the admin since the last load: what differs, and what to do.

`loadcontent` and `exportcontent` both find these conflicts and both refuse to write. Both show them with
`conflict_messages`: a unified diff of the admin's version against the file's, each written as its file
would hold it (the exporter's canonical text, so the diff shows fields that differ, not spacing), and one
next step, the same from either command, that does not send the editor from one command to the other.
"""

import difflib
from collections.abc import Iterable
from pathlib import Path

from articles.content_files.entries import Entry
from articles.content_files.export import file_text
from articles.models import LoadedFromFile
from articles.registry import kind_of

NEXT_STEP = (
    "Next step: to keep the admin's version, run `manage.py loadcontent --prefer admin` (then "
    "`manage.py exportcontent` writes it to the file). To keep the file's, run `manage.py loadcontent "
    "--prefer file` (where the record is published, the file's text then waits for a Clinical reviewer as "
    "proposed changes). Nothing was written."
)


def file_label(path: Path, root: Path) -> str:
    """A content file as `content/articles/about.md`: the content folder's name, then the path inside it."""
    return str(Path(root.name) / path.relative_to(root)) if path.is_relative_to(root) else str(path)


def conflict_diff(entry: Entry, record: LoadedFromFile, root: Path) -> str:
    """A unified diff of the record as the admin holds it (-) against the record as its file holds it (+)."""
    kind = kind_of(entry.model)
    admin = file_text(kind, entry.key, record.content_values())
    in_file = file_text(kind, entry.key, entry.values)
    return "".join(
        difflib.unified_diff(
            admin.splitlines(keepends=True),
            in_file.splitlines(keepends=True),
            fromfile=f"admin: {record._meta.verbose_name} {entry.key!r}",
            tofile=f"file: {file_label(entry.path, root)}",
        )
    )


def conflict_messages(conflicts: Iterable[tuple[Entry, LoadedFromFile]], root: Path) -> list[str]:
    """One message per conflicting record, with its diff, then the next step (empty when no conflict)."""
    messages = [
        f"conflict: {entry.describe()} was changed both in the admin and in its file since the last load. "
        f"The admin's version (-) against the file's (+):\n{conflict_diff(entry, record, root).rstrip()}"
        for entry, record in conflicts
    ]
    return [*messages, NEXT_STEP] if messages else []
