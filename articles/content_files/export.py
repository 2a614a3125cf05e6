"""Writing the database back to the content files, so that edits made in the admin can be committed to git.

The export writes one canonical form, so that exporting freshly loaded content reproduces content/ byte for
byte and loading an export changes nothing:

- Markdown files: `---`, the front matter (keys in the model's CONTENT_FIELDS order, empty optional keys left
  out), `---`, then the body as stored (normalize_source form, one final newline).
- YAML lists: a fixed comment header, then one block mapping per entry with keys in a fixed order, entries
  one blank line apart, in a stable order (references by key, glossary by term, categories by order and slug)
  so that a record added in the admin lands in the same place on every export.
- Scalars: plain where YAML reads them back as the same string (the reader uses BaseLoader) and safe_load
  reads them as a string too; otherwise double-quoted. Lines are never wrapped.

It mirrors the loader's rules: it never deletes a file (a file or list entry without a record is kept and
named), it never overwrites a file edit that was not loaded yet (that is refused, like a loader conflict), and
it checks the exported tree with the loader's own reader before writing anything, so it cannot leave content/
in a state that `loadcontent` refuses.
"""

import os
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from articles.content_files.entries import ContentError, Entry
from articles.content_files.front_matter import relation_fields
from articles.content_files.reading import read_content, read_markdown_record, read_yaml_list
from articles.fingerprints import fingerprint
from articles.models import LoadedFromFile, is_content_slug, validate_content_slug
from articles.registry import ContentKind, MarkdownFolder, SingleFile, YamlList, content_kinds
from articles.rendering.renderer import normalize_source

Reader = Callable[[Path, list[ContentError]], list[Entry]]


@dataclass(frozen=True)
class BothChanged:
    """A record changed both in its file and in the admin since the last load: the loader's conflict."""

    entry: Entry  # the record as its file now holds it
    record: LoadedFromFile


class ExportRefused(Exception):
    """The export would lose an edit or write files that do not load; nothing was written."""

    def __init__(self, problems: list[str], conflicts: list[BothChanged] | None = None) -> None:
        self.conflicts = conflicts or []
        super().__init__(f"{len(problems)} problem(s), {len(self.conflicts)} conflict(s)")
        self.problems = problems


@dataclass
class PlannedFile:
    kind: str  # verbose plural of the model, as loadcontent reports it
    path: Path  # relative to the content root
    text: str
    records: list[LoadedFromFile]  # the database records this file holds
    read: Reader  # the loader's reader for this file


@dataclass
class ExportReport:
    files: list[PlannedFile] = field(default_factory=list)
    written: set[Path] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def counts_by_kind(self) -> dict[str, tuple[int, int, int]]:
        """Per kind: (records, files written, files unchanged)."""
        counts: dict[str, tuple[int, int, int]] = {}
        for planned in self.files:
            records, written, unchanged = counts.get(planned.kind, (0, 0, 0))
            is_written = planned.path in self.written
            counts[planned.kind] = (
                records + len(planned.records),
                written + is_written,
                unchanged + (not is_written),
            )
        return counts


# --- YAML ---------------------------------------------------------------------------------------------------


class FlowList(list):
    """A list written in flow style, `[a, b]` (glossary aliases)."""


class ContentDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, set to the canonical style.

    SafeDumper already quotes any string that its full resolver would read as something else ("yes", "12:30",
    "2026-11-26", "null", "~"), and any string whose characters would be read as YAML syntax. What is changed:
    nested block lists are indented under their key, and quoted strings are double-quoted, never single-quoted
    (one quoting style; escapes instead of line folding keep every value on one line).
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


ContentDumper.add_representer(
    FlowList,
    lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True),
)


def dump_yaml(data: Any) -> str:
    # No line wrapping (maxsize width): a wrapped plain scalar reads back the same, but diffs of one changed
    # word would then move line breaks around.
    return yaml.dump(
        data,
        Dumper=ContentDumper,
        default_flow_style=False,
        allow_unicode=True,
        sort_keys=False,
        width=sys.maxsize,
    )


def as_dumped(value: Any) -> Any:
    """A value the dumper knows: a str subclass (a TextChoices member) becomes a plain str."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, dict):
        return {str(key): as_dumped(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [as_dumped(item) for item in value]
        return FlowList(items) if isinstance(value, FlowList) else items
    return value


def change_entries(changes: Any) -> Any:
    """A list of dated entries (a page's change log) with its dates as dates (written plain, YYYY-MM-DD), keys
    `date` then `summary`. Any other value is returned as it is."""
    if not isinstance(changes, list) or not all(
        isinstance(item, dict) and "date" in item for item in changes
    ):
        return changes
    entries = []
    for change in changes:
        if not isinstance(change, dict):
            entries.append(change)
            continue
        day = change.get("date")
        try:
            day = date.fromisoformat(day) if isinstance(day, str) else day
        except ValueError:
            pass  # written as it is: the check of the exported files reports it
        rest = {key: value for key, value in change.items() if key not in ("date", "summary")}
        entries.append({"date": day, "summary": change.get("summary"), **rest})
    return entries


# --- Canonical files ----------------------------------------------------------------------------------------


def markdown_text(front: dict[str, Any], body: str) -> str:
    return f"---\n{dump_yaml(as_dumped(front))}---\n{normalize_source(body)}"


def list_text(header: str, entries: Iterable[dict[str, Any]]) -> str:
    blocks = [dump_yaml([as_dumped(entry)]) for entry in entries]
    text = "\n".join(blocks) if blocks else "[]\n"
    return f"{header}\n{text}" if header else text


def is_empty(value: Any) -> bool:
    """An optional value that a file leaves out."""
    return value is None or value == "" or value == []


def front_matter(model: type[LoadedFromFile], values: dict[str, Any], body_field: str) -> dict[str, Any]:
    """Front matter in CONTENT_FIELDS order; an empty optional field (prices_checked, a home page's
    main_message) is left out."""
    front = {name: change_entries(values[name]) for name in model.CONTENT_FIELDS if name != body_field}
    return {name: value for name, value in front.items() if not is_empty(value)}


def list_entry(kind: ContentKind, key: str, values: dict[str, Any]) -> dict[str, Any]:
    """One entry of a YAML list: its key (where the file holds it), then its fields in CONTENT_FIELDS order,
    empty ones left out; a list of words is written on one line, [a, b]."""
    assert isinstance(kind.files, YamlList)
    entry: dict[str, Any] = {kind.key_in_entry: key} if kind.key_in_entry else {}
    for name in kind.model.CONTENT_FIELDS:
        value = values.get(name)
        if is_empty(value):
            continue
        entry[name] = (
            FlowList(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
        )
    return entry


def file_text(kind: ContentKind, key: str, values: dict[str, Any]) -> str:
    """A record with these content values as its file holds it: a Markdown file's whole text, or its one
    entry of a YAML list. Values read from a file and values of a record come out alike, so two versions of
    a record compare as text, field by field (the conflict diffs)."""
    if isinstance(kind.files, YamlList):
        return list_text("", [list_entry(kind, key, values)])
    assert kind.body_field is not None
    return markdown_text(front_matter(kind.model, values, kind.body_field), values[kind.body_field])


# --- What to write ------------------------------------------------------------------------------------------


def reader_for(kind: ContentKind) -> Reader:
    """The loader's own reader for one file of `kind`."""
    if isinstance(kind.files, YamlList):
        return lambda path, errors: read_yaml_list(path, kind, errors)
    return lambda path, errors: [entry] if (entry := read_markdown_record(path, kind, errors)) else []


def read_existing(root: Path, planned: PlannedFile) -> tuple[list[Entry], list[ContentError]] | None:
    """What the file there now holds, read as the loader reads it; None when there is no file."""
    path = root / planned.path
    if not path.exists():
        return None
    errors: list[ContentError] = []
    return planned.read(path, errors), errors


def plan_markdown(kind: ContentKind, problems: list[str]) -> list[PlannedFile]:
    """One file per record of a Markdown kind."""
    assert kind.body_field is not None
    records = kind.model.objects.all()
    if related := [f.name for f in relation_fields(kind.model)]:
        records = records.select_related(*related)
    if isinstance(kind.files, SingleFile):
        # Only the record with the file's key has a file home; the admin allows no other.
        records = records.filter(**{kind.model.KEY_FIELD: kind.single_key})
    planned = []
    for record in records:
        if not is_content_slug(record.content_key):
            # Also keeps a hand-made slug such as "../x" from writing outside the folder.
            problems.append(
                f"{record._meta.verbose_name} {record.content_key!r}: the slug is its file name, which "
                f"{validate_content_slug.message}; change it in the admin"
            )
            continue
        text = file_text(kind, record.content_key, record.content_values())
        path = kind.files.path_of(record.content_key)
        planned.append(PlannedFile(kind.name, path, text, [record], reader_for(kind)))
    return planned


def plan_list(kind: ContentKind, root: Path, problems: list[str], notes: list[str]) -> PlannedFile:
    assert isinstance(kind.files, YamlList)
    records = list(kind.model.objects.all())
    planned = PlannedFile(kind.name, Path(kind.files.path), "", records, reader_for(kind))
    rows = {record.content_key: record.content_values() for record in records}
    existing = read_existing(root, planned)
    if existing is not None:
        entries, errors = existing
        if errors:
            problems.extend(
                f"{error} (the file cannot be read, so it may hold edits that were never loaded: fix it, "
                "load it, then export)"
                for error in errors
            )
        for entry in entries:
            if entry.key not in rows:
                # Deleted in the admin, or added to the file and not loaded yet: the export cannot tell which,
                # so, as for a Markdown file without a record, the entry is kept and named.
                rows[entry.key] = entry.values
                notes.append(
                    f"{root / kind.files.path}: entry {entry.key!r} has no record (deleted in the admin, or "
                    "not loaded yet); it was kept. Remove it from the file if it was deleted on purpose."
                )
    ordered = sorted(rows.items(), key=lambda item: kind.files.export_order(*item))
    planned.text = list_text(kind.files.header, (list_entry(kind, key, values) for key, values in ordered))
    return planned


def plan_files(root: Path, problems: list[str], notes: list[str]) -> list[PlannedFile]:
    planned: list[PlannedFile] = []
    for kind in content_kinds():
        if isinstance(kind.files, YamlList):
            planned.append(plan_list(kind, root, problems, notes))
        else:
            planned += plan_markdown(kind, problems)
    return planned


def orphan_files(root: Path, planned: list[PlannedFile]) -> list[Path]:
    """Markdown files under `root` that no record is exported to (relative paths)."""
    homes = {planned_file.path for planned_file in planned}
    found = [
        path
        for kind in content_kinds()
        if isinstance(kind.files, MarkdownFolder | SingleFile)
        for path in kind.files.paths(root)
        if path.exists()
    ]
    return [path.relative_to(root) for path in found if path.relative_to(root) not in homes]


# --- Checks before writing ----------------------------------------------------------------------------------


def unloaded_file_edits(root: Path, planned: list[PlannedFile]) -> tuple[list[str], list[BothChanged]]:
    """Files the export would overwrite that hold an edit the database never saw: (problems, conflicts).

    The record's stored fingerprint is its content as last loaded. A file whose content matches neither that
    nor the record now was edited after the load: overwriting it would lose that edit, so the export refuses,
    the way the loader refuses to overwrite an admin edit. Where the record was edited since the load too,
    that is the loader's conflict, returned apart so that both commands show it and advise alike.
    """
    problems = []
    conflicts = []
    for planned_file in planned:
        path = root / planned_file.path
        if not path.exists() or path.read_bytes() == planned_file.text.encode("utf-8"):
            continue
        existing = read_existing(root, planned_file)
        assert existing is not None
        entries, errors = existing
        if errors and planned_file.path.suffix == ".md":
            problems.extend(
                f"{error} (the file cannot be read, so it may hold edits that were never loaded: fix it, "
                "load it, then export)"
                for error in errors
            )
            continue
        records = {record.content_key: record for record in planned_file.records}
        for entry in entries:
            record = records.get(entry.key)
            if record is None:
                continue
            now = record.fingerprint()
            if entry.fingerprint in (record.loaded_fingerprint, now):
                continue
            if now != record.loaded_fingerprint:
                conflicts.append(BothChanged(entry, record))
                continue
            problems.append(
                f"{entry.describe()} was changed in its file since the last load; exporting would "
                "overwrite that edit. Load it first (loadcontent), or undo the file edit, then export "
                "again."
            )
    return problems, conflicts


def check_export(root: Path, planned: list[PlannedFile], orphans: list[Path]) -> tuple[list[str], list[str]]:
    """Read the exported tree with the loader's own reader: (problems, notes).

    The tree is written to a scratch folder first, with the Markdown files that stay as they are, so the
    check sees exactly what `loadcontent` will see (links and citations between files included).
    """
    problems: list[str] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "content"
        for planned_file in planned:
            (tree / planned_file.path).parent.mkdir(parents=True, exist_ok=True)
            (tree / planned_file.path).write_bytes(planned_file.text.encode("utf-8"))
        for orphan in orphans:
            (tree / orphan).parent.mkdir(parents=True, exist_ok=True)
            (tree / orphan).write_bytes((root / orphan).read_bytes())
        content = read_content(tree)
        problems.extend(
            str(ContentError(root / error.path.relative_to(tree), error.message, error.line))
            for error in content.errors
        )
    entries = {(entry.model, entry.key): entry for entry in content.entries}
    if problems:
        return problems, notes
    for planned_file in planned:
        for record in planned_file.records:
            entry = entries.get((type(record), record.content_key))
            what = f"{record._meta.verbose_name} {record.content_key!r}"
            if entry is None:
                # A glossary entry is keyed by its term's slug: a record whose slug is not that would be read
                # back as another record.
                problems.append(
                    f"{what}: its entry in {root / planned_file.path} would be read back as another record; "
                    "make its slug match its term in the admin"
                )
                continue
            values = record.content_values()
            if fingerprint(entry.values) != fingerprint(values):
                differing = sorted(name for name in values if entry.values.get(name) != values[name])
                notes.append(
                    f"{what}: {', '.join(differing)} reads back from {root / planned_file.path} in the "
                    "loader's tidied form (spacing); the next loadcontent will update the record to it."
                )
    return problems, notes


# --- Writing ------------------------------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over the target.

    A crash leaves either the old file or the new one, never half a file; the temporary name ends in .tmp, so
    the loader never reads it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 applies the umask, as a normal file creation would (mkstemp would give 0o600).
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def source_path_of(path: Path, root: Path) -> str:
    # The same form the loader stores, so that a load of the same folder does not see a difference.
    return str(path.relative_to(root.parent) if path.is_absolute() else path)


def mark_in_step(record: LoadedFromFile, source_path: str) -> None:
    """Note that the record and its file now agree, the way a load would.

    The stored fingerprint becomes the record's own: a following load then finds file == record and writes
    nothing. A queryset update, not save(): saving would render the body again and move `updated`.
    """
    loaded = record.fingerprint()
    if (record.source_path, record.loaded_fingerprint) != (source_path, loaded):
        type(record).objects.filter(pk=record.pk).update(source_path=source_path, loaded_fingerprint=loaded)


def export_content(root: Path) -> ExportReport:
    """Write every record with a file home under `root`, in canonical form.

    Raises ExportRefused, having written nothing, when a file holds an edit that was never loaded (a conflict
    when the record was edited since the load too) or when the exported files would not load.
    """
    report = ExportReport()
    problems: list[str] = []
    with transaction.atomic():
        planned = plan_files(root, problems, report.notes)
        orphans = orphan_files(root, planned)
        unloaded, conflicts = unloaded_file_edits(root, planned)
        problems += unloaded
        if problems or conflicts:
            raise ExportRefused(problems, conflicts)
        problems, notes = check_export(root, planned, orphans)
        if problems:
            raise ExportRefused(problems)
        report.notes += notes
        report.files = planned
        for planned_file in planned:
            path = root / planned_file.path
            data = planned_file.text.encode("utf-8")
            if not path.exists() or path.read_bytes() != data:
                write_atomically(path, data)
                report.written.add(planned_file.path)
            for record in planned_file.records:
                mark_in_step(record, source_path_of(path, root))
    report.notes += [
        f"{root / orphan}: no record in the database (deleted in the admin, or not loaded yet); the file was "
        "kept. Delete it by hand if the record was deleted on purpose."
        for orphan in orphans
    ]
    return report
