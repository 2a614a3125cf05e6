"""Reading and checking the Markdown and YAML files in content/, without touching the database.

`read_content(root)` returns every record the files describe, or every problem it found, each naming the file
and the field or line. Nothing is written until all files are good, so a broken file can never leave the
database half-loaded. What files exist and what they hold comes from the content-kind registry
(articles.registry); values are checked by the models' own validation (front_matter).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from articles.content_files.entries import ContentError, ContentSet, Entry, StoredLinks
from articles.content_files.front_matter import check_values, file_fields, relation_fields
from articles.content_files.links import line_of, site_paths
from articles.content_files.parsing import load_yaml, read_text, split_markdown_file
from articles.models import LoadedFromFile, Reference, is_content_slug, validate_content_slug
from articles.registry import (
    ContentKind,
    MarkdownFolder,
    SingleFile,
    YamlList,
    content_kinds,
    kind_of,
    paths_the_site_serves,
)
from articles.rendering import bodies
from articles.rendering.input_limits import BodyTooComplex
from articles.rendering.shared_blocks import blocks_used, expanded_limit_problems
from articles.rendering.site_links import internal_links


def clean_mapping(
    raw: Any,
    kind: ContentKind,
    path: Path,
    errors: list[ContentError],
    what: str = "front matter",
    key: str | None = None,
) -> dict[str, Any] | None:
    """Check a file's mapping against its kind's fields; append one error per problem. None when anything
    is wrong. `key`: the record's key where the file name gives it (a model's clean() may need it)."""
    if not isinstance(raw, dict):
        errors.append(
            ContentError(path, f"{what} must be a mapping of keys to values, not {type(raw).__name__}")
        )
        return None
    model = kind.model
    key_name = kind.key_in_entry
    fields = [
        *([key_name] if key_name else []),
        *file_fields(model),
        *(f.name for f in relation_fields(model)),
    ]
    required = [name for name in fields if name == key_name or not model._meta.get_field(name).blank]
    problems: list[str] = []
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        problems.append(f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(fields)}")
    missing = [name for name in required if name not in raw]
    if missing:
        problems.append(f"missing required key(s) {', '.join(map(repr, missing))}")
    if key_name and key_name in raw:
        key = raw[key_name]
        if not is_content_slug(key):
            problems.append(f"'{key_name}' {validate_content_slug.message}, not {key!r}")
    values, value_problems = check_values(model, raw, key=key if isinstance(key, str) else None)
    problems += value_problems
    errors.extend(ContentError(path, f"{what}: {problem}") for problem in problems)
    if problems or missing:
        return None
    if key_name:
        values[key_name] = raw[key_name]
    return values


def slug_from_file(path: Path, errors: list[ContentError]) -> str | None:
    if not is_content_slug(path.stem):
        errors.append(
            ContentError(path, f"file name {path.name!r} is its key, which {validate_content_slug.message}")
        )
        return None
    return path.stem


def read_markdown_record(
    path: Path,
    kind: ContentKind,
    errors: list[ContentError],
    known: tuple[frozenset[str], frozenset[str]] | None = None,
    root: Path | None = None,
) -> Entry | None:
    """One record from its Markdown file: front matter, then the body. With `known` (the reference keys and
    shared block names there are), the body is checked too, even when the front matter has problems, so that
    one run reports both. `root`: the content folder (a symbolic link may point only inside it)."""
    if isinstance(kind.files, SingleFile):
        if not path.exists():
            errors.append(
                ContentError(
                    path, f"is missing: the site's {kind.model._meta.verbose_name} must be kept in this file"
                )
            )
            return None
        key: str | None = kind.single_key
    else:
        key = slug_from_file(path, errors)
    parsed = split_markdown_file(path, errors, root)
    if key is None or parsed is None:
        return None
    values = clean_mapping(parsed.front, kind, path, errors, key=key)
    assert kind.body_field is not None
    entry = Entry(
        kind.model,
        key,
        {**(values or {}), kind.body_field: parsed.body},
        path,
        body_field=kind.body_field if kind.has_rendered_body else None,
        body_line=parsed.body_line,
    )
    if known is not None and kind.has_checked_body:
        errors.extend(file_body_problems(entry, kind.body_field, *known))
    return entry if values is not None else None


def file_body_problems(
    entry: Entry, field: str, reference_keys: frozenset[str], block_names: frozenset[str]
) -> list[ContentError]:
    """What is wrong in one body on its own (the model's body rules, CheckedBody), at its file line."""
    problems = entry.model.body_problems(
        entry.values[field], key=entry.key, reference_keys=reference_keys, block_names=block_names
    )
    return [ContentError(entry.path, message, line=entry.file_line(line)) for line, message in problems]


@dataclass(frozen=True)
class CheckedFile:
    """What reading and checking one Markdown file found (in a worker process when there are many)."""

    entry: Entry | None
    errors: list[ContentError]
    # A page within the input limits alone but beyond them with its shared blocks put in: the blocks it uses
    # and why. Said against each block's file (CheckedFile.block_errors).
    beyond_with_blocks: tuple[tuple[str, ...], str] | None = None

    def block_errors(self, block_files: Mapping[str, Path]) -> list[ContentError]:
        if self.entry is None or self.beyond_with_blocks is None:
            return []
        used, why = self.beyond_with_blocks
        page = f"{self.entry.path.parent.name}/{self.entry.path.name}"
        return [
            ContentError(
                block_files[name], f"{page}, which uses this block, would be beyond the limits with it: {why}"
            )
            for name in used
        ]


def beyond_with_blocks(entry: Entry, blocks: Mapping[str, str]) -> tuple[tuple[str, ...], str] | None:
    """A shared block within the input limits alone may push a page using it past them (the page is refused
    too, when it is rendered)."""
    if entry.body_field is None or not entry.model.USES_BLOCKS:
        return None
    body = entry.values[entry.body_field]
    used = tuple(name for name in blocks_used(body) if name in blocks)
    if not used or not (problems := expanded_limit_problems(body, blocks)):
        return None
    return used, problems[0].message


def _read_and_check(
    path: Path,
    *,
    model: type[LoadedFromFile],
    reference_keys: frozenset[str],
    blocks: Mapping[str, str],
    root: Path | None,
) -> CheckedFile:
    errors: list[ContentError] = []
    known = (reference_keys, frozenset(blocks))
    entry = read_markdown_record(path, kind_of(model), errors, known=known, root=root)
    if entry is None:
        return CheckedFile(None, errors)
    entry.fingerprint  # noqa: B018 - computed here, across processes, for the load to compare
    return CheckedFile(entry, errors, beyond_with_blocks(entry, blocks))


def read_checked_records(
    paths: Sequence[Path],
    kind: ContentKind,
    reference_keys: frozenset[str],
    blocks: Mapping[str, str],
    content: ContentSet,
    root: Path | None = None,
) -> list[Entry]:
    """Markdown records, each read and checked on its own (with the shared blocks it uses put in, `blocks`),
    across processes when there are many files (no database is touched). Checks that need every file come
    later, in check_cross_references."""
    # The model, not the kind, crosses to the worker processes: a kind holds functions that do not pickle.
    check = partial(
        _read_and_check, model=kind.model, reference_keys=reference_keys, blocks=blocks, root=root
    )
    block_files = {entry.key: entry.path for entry in content.block_entries()}
    entries = []
    for checked in bodies.map_in_processes(check, paths, parallel=True):
        content.errors.extend(checked.errors)
        content.errors.extend(checked.block_errors(block_files))
        if checked.entry is not None:
            entries.append(checked.entry)
    return entries


def provisional_key(kind: ContentKind, raw: Any) -> str | None:
    """A YAML entry's key as far as it can be told before its values are checked (to name it in problems)."""
    if not isinstance(raw, dict):
        return None
    try:
        key = kind.key_of(raw)
    except (KeyError, TypeError, AttributeError):
        return None
    return key if isinstance(key, str) and key else None


def read_yaml_list(
    path: Path,
    kind: ContentKind,
    errors: list[ContentError],
    broken: set[str] | None = None,
    root: Path | None = None,
) -> list[Entry]:
    """The records of a YAML list. `broken` collects the keys of entries with problems; `root`: the content
    folder (a symbolic link may point only inside it)."""
    assert isinstance(kind.files, YamlList)
    source = read_text(path, errors, root)
    if source is None:
        return []
    data = load_yaml(source, path, errors)
    if not isinstance(data, list):
        if data is not None:
            errors.append(ContentError(path, "must be a YAML list of entries"))
        return []
    entries: list[Entry] = []
    seen: set[str] = set()
    key_name = kind.key_in_entry
    for number, raw in enumerate(data, start=1):
        # A key the entry names is checked for duplicates even when the entry has other problems.
        named_key = provisional_key(kind, raw)
        what = f"entry {number} ({named_key!r})" if named_key else f"entry {number}"
        if key_name and named_key is not None:
            if named_key in seen:
                errors.append(ContentError(path, f"{what}: duplicate key: an earlier entry has it"))
                continue
            seen.add(named_key)
        values = clean_mapping(raw, kind, path, errors, what=what)
        if values is None:
            if named_key is not None and broken is not None:
                broken.add(named_key)
            continue
        key = kind.key_of(values)
        if key_name:
            del values[key_name]  # the key is stored in its own field, not as content
        elif key in seen:
            errors.append(ContentError(path, f"{what}: duplicate key: an earlier entry has it"))
            continue
        seen.add(key)
        entries.append(Entry(kind.model, key, values, path))
    return entries


def read_kind(kind: ContentKind, paths: list[Path], content: "ContentSet", root: Path) -> list[Entry]:
    """Every record of one kind that its files (`paths`, as its layout finds them, under `root`) hold."""
    if isinstance(kind.files, YamlList):
        broken: set[str] = set()
        entries = read_yaml_list(paths[0], kind, content.errors, broken, root)
        content.broken_keys |= {(kind.model, key) for key in broken}
        return entries
    reference_keys = content.keys_of(Reference)
    blocks = content.block_sources() if kind.uses_blocks else {}
    return read_checked_records(paths, kind, reference_keys, blocks, content, root)


def check_cross_references(content: ContentSet, stored_links: StoredLinks | None = None) -> None:
    """Checks that need every file: reserved keys, records named by other records, links between pages
    (each body was checked on its own as it was read)."""
    errors = content.errors
    taken = paths_the_site_serves()
    for kind in content_kinds():
        for entry in content.of(kind.model):
            # A record with a page of its own at /<key>/ may not take a path the site serves itself.
            if entry.key in taken and kind.model.url_for(entry.key) == f"/{entry.key}/":
                errors.append(
                    ContentError(
                        entry.path, f"slug {entry.key!r} is taken by the site's own /{entry.key}/ page"
                    )
                )
        for relation in relation_fields(kind.model):
            related = kind_of(relation.related_model)
            known = content.keys_of(related.model)
            where = related.files.path_of("")
            for entry in content.of(kind.model):
                if entry.values[relation.name] not in known:
                    errors.append(
                        ContentError(
                            entry.path,
                            f"front matter: '{relation.name}' {entry.values[relation.name]!r} is not in "
                            f"{where} (known: {', '.join(sorted(known)) or 'none'})",
                        )
                    )
    check_citing_fields(content)
    paths = site_paths(content)
    links = body_links(content, content.keys_of(Reference), stored_links)
    for entry in content.entries:
        if entry.body_field is None:
            continue
        body = entry.values[entry.body_field]
        for href in links[entry.model, entry.key]:
            if href in content.unreadable_paths or href.split("#", 1)[0] in content.unreadable_paths:
                continue
            if state := paths.problem(href):
                errors.append(
                    ContentError(
                        entry.path,
                        f"links to {href}, which is {state}",
                        line=entry.file_line(line_of(href, body)),
                    )
                )


def check_citing_fields(content: ContentSet) -> None:
    """Citations in fields that are not a body (the decision aid's cells) must be written as [@key] and name
    a known reference."""
    known = content.keys_of(Reference)
    where = str(kind_of(Reference).files.path_of(""))
    for entry in content.entries:
        for name, problem in entry.model.citing_field_problems(entry.values, known, references=where):
            content.errors.append(ContentError(entry.path, f"{entry.key!r}: '{name}': {problem}"))


def body_links(
    content: ContentSet, reference_keys: frozenset[str], stored_links: StoredLinks | None
) -> dict[tuple[type[LoadedFromFile], str], list[str]]:
    """The site links of every body: those stored where the database already holds exactly this body, else
    those of the body rendered now, once, kept in `content.rendered` so that saving stores this rendering
    instead of making it again."""
    links: dict[tuple[type[LoadedFromFile], str], list[str]] = {}
    to_render: list[Entry] = []
    for entry in content.entries:
        if entry.body_field is None:
            continue
        stored = stored_links(entry) if stored_links else None
        if stored is None:
            to_render.append(entry)
        else:
            links[entry.model, entry.key] = stored
    # Rendered with the references of the files: a body citing any other key is refused above, so this is
    # the same rendering a save makes with the references in the database after loading.
    renderings = bodies.render_bodies(
        [(entry.values[entry.body_field], entry.anchor_prefix) for entry in to_render if entry.body_field],
        known_keys=reference_keys,
        blocks=content.block_sources(),
    )
    for entry, rendering in zip(to_render, renderings, strict=True):
        if isinstance(rendering, BodyTooComplex):
            # Refused before rendering began (said already, by the body's rules) or cut off while rendering.
            refusals = [
                ContentError(entry.path, problem.message, line=entry.file_line(problem.line))
                for problem in rendering.problems
            ]
            content.errors += [refusal for refusal in refusals if refusal not in content.errors]
            links[entry.model, entry.key] = []
            continue
        content.rendered[entry.model, entry.key] = rendering
        links[entry.model, entry.key] = internal_links(rendering.html)
    return links


def read_content(root: Path, *, stored_links: StoredLinks | None = None) -> ContentSet:
    """Read every content file under `root`, kind by kind as the registry lists them. Entries come in the
    order they must be written.

    `stored_links` (see StoredLinks) spares rendering bodies that are already in the database as they are.
    """
    content = ContentSet()
    if not root.is_dir():
        content.errors.append(ContentError(root, "is not a folder of content"))
        return content
    for kind in content_kinds():
        paths = kind.files.paths(root)  # listed once: a folder may hold 10,000 files
        entries = read_kind(kind, paths, content, root)
        content.entries += entries
        if not isinstance(kind.files, MarkdownFolder):
            continue
        for key in kind.files.required_keys:
            if not (root / kind.files.path_of(key)).exists():
                content.errors.append(
                    ContentError(root / kind.files.path_of(key), "is missing: the site needs this page")
                )
        read_keys = {entry.key for entry in entries}
        content.unreadable_paths |= {
            url
            for path in paths
            if path.stem not in read_keys
            and is_content_slug(path.stem)
            and (url := kind.model.url_for(path.stem)) is not None
        }
    check_cross_references(content, stored_links)
    return content
