"""Reading and checking the Markdown files in content/, without touching the database.

`read_content(root)` returns every record the files describe, or every problem it found, each naming the file
and the field or line. Nothing is written until all files are good, so a broken file can never leave the
database half-loaded.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import frontmatter
import yaml
from django.utils.text import slugify

from articles.change_log import newest_first
from articles.models import (
    ABOUT_SLUG,
    HOME_SLUG,
    Article,
    Disclaimer,
    GlossaryTerm,
    LoadedFromFile,
    Reference,
    RenderedBody,
    Reviewed,
    SharedBlock,
    Status,
)
from articles.page_rules import MAIN_MESSAGE_MISSING, topic_page_problems
from articles.rendering import bodies
from articles.rendering.care_cards import card_problems
from articles.rendering.citations import link_citations
from articles.rendering.pictures import picture_problems
from articles.rendering.renderer import normalize_source
from articles.rendering.shared_blocks import block_problems
from faq.models import Category, Question

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Paths the site itself serves: an article with one of these slugs would be unreachable or shadow them.
RESERVED_SLUGS = frozenset(
    {
        "faq",
        "admin",
        "editor",
        "static",
        "media",
        "search",
        "glossary",
        "handout",
        "preview",
        "theme",
        "feedback",
        "healthz",
    }
)


BLOCKS_FOLDER = "blocks"


def display_path(path: Path) -> str:
    """A path as short as it can be read: relative to the working folder when it is inside it."""
    return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


@dataclass(frozen=True)
class ContentError:
    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{display_path(self.path)}:{self.line}" if self.line else display_path(self.path)
        return f"{where}: {self.message}"


class FieldError(ValueError):
    """A front-matter value that does not fit its field; the message says what is wrong."""


@dataclass(frozen=True)
class Entry:
    """One record's worth of content read from a file."""

    model: type[LoadedFromFile]
    key: str
    values: dict[str, Any]
    path: Path
    body_field: str | None = None  # the Markdown field, for citation and link checks
    body_line: int = 1  # the file line the body starts on: problems found in the body are reported there

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


# The sanitized HTML already stored for an entry's body, if the database holds a record with exactly that
# body; None otherwise. Lets an unchanged body's links be checked without rendering it again.
StoredHtml = Callable[[Entry], str | None]


@dataclass
class ContentSet:
    entries: list[Entry] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    # Site paths of files that exist but could not be read: links to them are not reported a second time.
    unreadable_paths: set[str] = field(default_factory=set)
    # Bodies rendered (Markdown and sanitizer) to check their links, by (model, key): saving reuses them.
    rendered: dict[tuple[type[LoadedFromFile], str], bodies.RenderedBody] = field(default_factory=dict)

    def of(self, model: type[LoadedFromFile]) -> list[Entry]:
        return [entry for entry in self.entries if entry.model is model]

    def block_sources(self) -> dict[str, str]:
        """The shared blocks the files hold, as render_body takes them."""
        return {entry.key: entry.values["body"] for entry in self.of(SharedBlock)}


# Field validators: each takes the raw YAML value (strings, read with YAML's BaseLoader so that "no" stays
# "no" and 12:30 stays "12:30") and returns the cleaned value or raises FieldError.
Validator = Callable[[Any], Any]


def text(max_length: int) -> Validator:
    def clean(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise FieldError("must be non-empty text")
        value = " ".join(value.split())
        if len(value) > max_length:
            raise FieldError(f"is {len(value)} characters long; the limit is {max_length}")
        return value

    return clean


def optional(validate: Validator, empty: Any = None) -> Validator:
    """The same check, but an absent or empty value is allowed and stored as `empty`."""

    def clean(value: Any) -> Any:
        return empty if value in (None, "") else validate(value)

    return clean


def whole_number(low: int, high: int) -> Validator:
    def clean(value: Any) -> int:
        if not isinstance(value, str) or not re.fullmatch(r"\d+", value.strip()):
            raise FieldError(f"must be a whole number, not {value!r}")
        number = int(value)
        if not low <= number <= high:
            raise FieldError(f"must be between {low} and {high}, not {number}")
        return number

    return clean


def iso_date(value: Any) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldError(f"must be a real date written YYYY-MM-DD, not {value!r}") from None


def change_log(value: Any) -> list[dict[str, str]]:
    """The public change log: [{date, summary}, ...], newest first. Dates are stored as YYYY-MM-DD text."""
    if not isinstance(value, list) or not value:
        raise FieldError("must be a list with at least one {date, summary} entry")
    changes = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"date", "summary"}:
            raise FieldError(f"entry {number} must have exactly the keys 'date' and 'summary'")
        try:
            changes.append(
                {"date": iso_date(item["date"]).isoformat(), "summary": text(200)(item["summary"])}
            )
        except FieldError as error:
            raise FieldError(f"entry {number}: {error}") from None
    if not newest_first(changes):
        raise FieldError("entries must be newest first")
    return changes


def word_list(min_length: int) -> Validator:
    def clean(value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise FieldError("must be a list of words or phrases")
        words = [" ".join(item.split()) for item in value]
        short = [word for word in words if len(word) < min_length]
        if short:
            raise FieldError(f"{short!r} too short: each must have at least {min_length} letters")
        return words

    return clean


def status(value: Any) -> str:
    if value not in Status.values:
        raise FieldError(f"must be one of {', '.join(Status.values)}, not {value!r}")
    return value


def slug_value(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise FieldError(f"must be lowercase letters, digits and hyphens, not {value!r}")
    return value


def url_value(value: Any) -> str:
    if value in (None, ""):
        return ""
    parts = urlsplit(str(value))
    if parts.scheme != "https" or not parts.netloc:
        raise FieldError(f"must be an https:// address, not {value!r}")
    return str(value)


ARTICLE_FIELDS: dict[str, Validator] = {
    "title": text(120),
    "summary": text(160),
    "order": whole_number(0, 999),
    "status": status,
    "last_reviewed": iso_date,
    "next_review_due": iso_date,
    "changes": change_log,
}
ARTICLE_OPTIONAL: dict[str, Validator] = {
    "main_message": optional(text(200), empty=""),
    "prices_checked": optional(iso_date),
}
REVIEW_FIELDS: dict[str, Validator] = {"last_reviewed": iso_date, "next_review_due": iso_date}
QUESTION_FIELDS: dict[str, Validator] = {
    "question": text(200),
    "category": slug_value,
    "order": whole_number(0, 999),
    "status": status,
    **REVIEW_FIELDS,
}
BLOCK_FIELDS: dict[str, Validator] = {"title": text(120)}
DISCLAIMER_FIELDS: dict[str, Validator] = {"title": text(120)}
CATEGORY_FIELDS: dict[str, Validator] = {
    "slug": slug_value,
    "title": text(120),
    "order": whole_number(0, 999),
}
REFERENCE_FIELDS: dict[str, Validator] = {
    "key": slug_value,
    "authors": text(500),
    "title": text(500),
    "publisher": text(300),
}
GLOSSARY_FIELDS: dict[str, Validator] = {"term": text(80), "definition": text(500), **REVIEW_FIELDS}
GLOSSARY_OPTIONAL: dict[str, Validator] = {"aliases": word_list(4)}
REFERENCE_OPTIONAL: dict[str, Validator] = {
    "year": optional(whole_number(1800, 2100)),  # undated web pages show "n.d." rather than an invented year
    "details": optional(text(400), empty=""),
    "url": url_value,
    "link_note": optional(text(200), empty=""),
}


def clean_mapping(
    raw: Any,
    required: dict[str, Validator],
    optional: dict[str, Validator],
    path: Path,
    errors: list[ContentError],
    what: str = "front matter",
) -> dict[str, Any] | None:
    """Check a mapping against its fields; append one error per problem. None when anything is wrong."""
    if not isinstance(raw, dict):
        errors.append(
            ContentError(path, f"{what} must be a mapping of keys to values, not {type(raw).__name__}")
        )
        return None
    problems: list[str] = []
    unknown = sorted(set(raw) - set(required) - set(optional))
    if unknown:
        problems.append(f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(required)}")
    missing = [name for name in required if name not in raw]
    if missing:
        problems.append(f"missing required key(s) {', '.join(map(repr, missing))}")
    cleaned: dict[str, Any] = {}
    for name, validate in {**required, **optional}.items():
        if name not in raw:
            if name in optional:
                cleaned[name] = validate(None)
            continue
        try:
            cleaned[name] = validate(raw[name])
        except FieldError as error:
            problems.append(f"'{name}' {error}")
    errors.extend(ContentError(path, f"{what}: {problem}") for problem in problems)
    return None if problems else cleaned


def read_text(path: Path, errors: list[ContentError]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        errors.append(ContentError(path, f"is not UTF-8 text (bad byte at position {error.start})"))
    except OSError as error:
        errors.append(ContentError(path, f"cannot be read: {error.strerror}"))
    return None


# libyaml's BaseLoader builds the same plain strings, lists and mappings as the pure-Python one, about ten
# times faster (this matters at thousands of files). Text holding characters the pure-Python reader refuses,
# and any text libyaml cannot parse, is read by the pure-Python loader, which reports problems as before.
_FAST_LOADER = getattr(yaml, "CBaseLoader", None)
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def load_yaml(source: str, path: Path, errors: list[ContentError], first_line: int = 1) -> Any:
    if _FAST_LOADER is not None and not _NON_PRINTABLE.search(source):
        try:
            return yaml.load(source, Loader=_FAST_LOADER)  # noqa: S506 - builds only str/list/dict
        except yaml.YAMLError:
            pass
    try:
        return yaml.load(source, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str/list/dict
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark else None
        problem = getattr(error, "problem", None) or str(error)
        errors.append(ContentError(path, f"YAML is not valid: {problem}", line=line))
        return None


@dataclass(frozen=True)
class MarkdownFile:
    front: Any  # the front matter as raw YAML data
    body: str
    body_line: int  # the file line the body starts on


def split_markdown_file(path: Path, errors: list[ContentError]) -> MarkdownFile | None:
    source = read_text(path, errors)
    if source is None:
        return None
    handler = frontmatter.YAMLHandler()
    if not handler.detect(source):
        errors.append(
            ContentError(path, "has no front matter: the file must start with a line '---'", line=1)
        )
        return None
    try:
        raw_front, body = handler.split(source)
    except ValueError:
        errors.append(ContentError(path, "front matter is not closed by a second '---' line", line=1))
        return None
    # raw_front starts right after the first '---', so YAML's line 0 is file line 1.
    data = load_yaml(raw_front, path, errors, first_line=1)
    if data is None and errors and errors[-1].path == path:
        return None
    # The body starts after the front matter and the blank lines that normalize_source drops.
    before_body = source[: len(source) - len(body)] + body[: len(body) - len(body.lstrip("\r\n"))]
    body = normalize_source(body)
    if not body.strip():
        errors.append(ContentError(path, "body is empty: write the page's text below the front matter"))
        return None
    return MarkdownFile(data, body, body_line=before_body.count("\n") + 1)


def slug_from_file(path: Path, errors: list[ContentError]) -> str | None:
    if not SLUG.match(path.stem):
        errors.append(
            ContentError(
                path, f"file name {path.name!r} must be a slug: lowercase letters, digits and hyphens"
            )
        )
        return None
    return path.stem


# Pages and FAQ answers: the front-matter fields (required, optional) and the field the body is stored in.
MARKDOWN_RECORDS: dict[type[LoadedFromFile], tuple[dict[str, Validator], dict[str, Validator], str]] = {
    Article: (ARTICLE_FIELDS, ARTICLE_OPTIONAL, "body"),
    Question: (QUESTION_FIELDS, {}, "answer"),
    SharedBlock: (BLOCK_FIELDS, {}, "body"),
}


def read_markdown_record(path: Path, model: type[LoadedFromFile], errors: list[ContentError]) -> Entry | None:
    fields, optional_fields, body_field = MARKDOWN_RECORDS[model]
    slug = slug_from_file(path, errors)
    parsed = split_markdown_file(path, errors)
    if slug is None or parsed is None:
        return None
    values = clean_mapping(parsed.front, fields, optional_fields, path, errors)
    if values is None:
        return None
    values[body_field] = parsed.body
    return Entry(model, slug, values, path, body_field=body_field, body_line=parsed.body_line)


def read_markdown_records(
    paths: Iterable[Path], model: type[LoadedFromFile], errors: list[ContentError]
) -> list[Entry]:
    return [entry for path in paths if (entry := read_markdown_record(path, model, errors))]


def file_body_problems(
    entry: Entry, reference_keys: frozenset[str], block_names: frozenset[str]
) -> list[ContentError]:
    """What is wrong in one body on its own: care cards, shared blocks, a topic page's shape and main
    message, citations of unknown keys (the admin form checks the same, in its own words:
    articles.forms.body_problems)."""
    assert entry.body_field is not None
    body = entry.values[entry.body_field]
    in_block = not entry.model.USES_BLOCKS
    errors = [
        ContentError(entry.path, problem, line=entry.file_line(line))
        for line, problem in [
            *card_problems(body),
            *block_problems(body, block_names, in_block=in_block),
            *picture_problems(body),
        ]
    ]
    if entry.model is Article and entry.key not in {HOME_SLUG, ABOUT_SLUG}:
        errors.extend(ContentError(entry.path, problem) for problem in topic_page_problems(body))
        if not entry.values["main_message"]:
            errors.append(ContentError(entry.path, f"front matter: {MAIN_MESSAGE_MISSING}"))
    errors.extend(
        ContentError(
            entry.path,
            f"cites [@{miss.key}], which is not in site/references.yaml",
            line=entry.file_line(miss.line),
        )
        for miss in link_citations(body, reference_keys).unknown
    )
    return errors


def _read_and_check(
    path: Path, *, model: type[LoadedFromFile], reference_keys: frozenset[str], block_names: frozenset[str]
) -> tuple[Entry | None, list[ContentError]]:
    errors: list[ContentError] = []
    entry = read_markdown_record(path, model, errors)
    if entry is not None:
        errors.extend(file_body_problems(entry, reference_keys, block_names))
    return entry, errors


def read_checked_records(
    paths: Sequence[Path],
    model: type[LoadedFromFile],
    reference_keys: frozenset[str],
    block_names: frozenset[str],
    errors: list[ContentError],
) -> list[Entry]:
    """Pages, answers or shared blocks, each read and checked on its own, across processes when there are
    many files (no database is touched). Checks that need every file come later, in
    check_cross_references."""
    check = partial(_read_and_check, model=model, reference_keys=reference_keys, block_names=block_names)
    entries = []
    for entry, problems in bodies.map_in_processes(check, paths, parallel=True):
        errors.extend(problems)
        if entry is not None:
            entries.append(entry)
    return entries


def read_yaml_list(
    path: Path,
    model: type[LoadedFromFile],
    fields: dict[str, Validator],
    optional: dict[str, Validator],
    key_of: Callable[[dict[str, Any]], str],
    errors: list[ContentError],
) -> list[Entry]:
    source = read_text(path, errors)
    if source is None:
        return []
    data = load_yaml(source, path, errors)
    if not isinstance(data, list):
        if data is not None:
            errors.append(ContentError(path, "must be a YAML list of entries"))
        return []
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, raw in enumerate(data, start=1):
        values = clean_mapping(raw, fields, optional, path, errors, what=f"entry {number}")
        if values is None:
            continue
        key = key_of(values)
        if key in seen:
            errors.append(ContentError(path, f"entry {number}: duplicate key {key!r}"))
            continue
        seen.add(key)
        entries.append(Entry(model, key, values, path))
    return entries


def reference_link_problems(entries: Iterable[Entry]) -> list[ContentError]:
    """Every source opens for a reader, or says why it cannot."""
    errors = []
    for entry in entries:
        url, note = entry.values["url"], entry.values["link_note"]
        if not url and not note:
            errors.append(
                ContentError(
                    entry.path,
                    f"reference {entry.key!r} needs a 'url' a reader can open (DOI, PubMed, DailyMed label, "
                    "publisher's page) or, where there is none, a 'link_note' saying why",
                )
            )
        elif url and note:
            errors.append(
                ContentError(
                    entry.path, f"reference {entry.key!r}: 'link_note' is only for a source without a 'url'"
                )
            )
    return errors


def pop_key(name: str) -> Callable[[dict[str, Any]], str]:
    """The entry's key is one of its fields, which is not stored as content."""
    return lambda values: values.pop(name)


def slug_of_term(values: dict[str, Any]) -> str:
    return slugify(values["term"])


def read_disclaimer(path: Path, errors: list[ContentError]) -> list[Entry]:
    if not path.exists():
        errors.append(ContentError(path, "is missing: the site's disclaimer must be kept in this file"))
        return []
    parsed = split_markdown_file(path, errors)
    if parsed is None:
        return []
    values = clean_mapping(parsed.front, DISCLAIMER_FIELDS, {}, path, errors)
    if values is None:
        return []
    values["body"] = parsed.body
    return [Entry(Disclaimer, "disclaimer", values, path, body_line=parsed.body_line)]


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


# The sanitizer serializes every attribute as name="value" (a '"' inside a value is written &quot;), so in its
# output a link's attributes can be read with a pattern, some 40 times faster than with HTMLParser.
_LINK_TAG = re.compile(r'<a((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*)\s*/?>')
_ANY_LINK_TAG = re.compile(r"<a[\s/>]")
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')


def link_targets(html: str) -> list[str]:
    """Every link target in sanitized HTML, in order."""
    tags = _LINK_TAG.findall(html)
    if len(tags) != len(_ANY_LINK_TAG.findall(html)):
        # Not shaped as the sanitizer writes it: read it with the HTML parser rather than miss a link.
        collector = _LinkCollector()
        collector.feed(html)
        collector.close()
        return collector.hrefs
    attributes = (pair for tag in tags for pair in _ATTRIBUTE.findall(tag))
    return [unescape(value) for name, value in attributes if name == "href" and value]


def internal_links(html: str) -> list[str]:
    """Site-relative link targets in a rendered body."""
    return [href for href in link_targets(html) if href.startswith("/") and not href.startswith("//")]


def line_of(needle: str, haystack: str) -> int | None:
    position = haystack.find(needle)
    return haystack.count("\n", 0, position) + 1 if position >= 0 else None


def page_paths(content: ContentSet) -> tuple[set[str], set[str]]:
    """The site paths the content creates: (published, drafts). FAQ answers are /faq/#slug."""
    published: set[str] = {"/faq/", "/glossary/"}
    drafts: set[str] = set()
    for entry in content.of(Article):
        path = "/" if entry.key == HOME_SLUG else f"/{entry.key}/"
        (published if entry.values["status"] == Status.PUBLISHED else drafts).add(path)
    for entry in content.of(Question):
        path = f"/faq/#{entry.key}"
        (published if entry.values["status"] == Status.PUBLISHED else drafts).add(path)
    return published, drafts


def check_cross_references(content: ContentSet, stored_html: StoredHtml | None = None) -> None:
    """Checks that need every file: slugs, categories and links between pages (each body was checked on
    its own as it was read)."""
    errors = content.errors
    for entry in content.of(Article):
        if entry.key in RESERVED_SLUGS:
            errors.append(
                ContentError(entry.path, f"slug {entry.key!r} is taken by the site's own /{entry.key}/ page")
            )
    category_slugs = {entry.key for entry in content.of(Category)}
    for entry in content.of(Question):
        if entry.values["category"] not in category_slugs:
            errors.append(
                ContentError(
                    entry.path,
                    f"front matter: 'category' {entry.values['category']!r} is not in faq/categories.yaml "
                    f"(known: {', '.join(sorted(category_slugs)) or 'none'})",
                )
            )
    reference_keys = {entry.key for entry in content.of(Reference)}
    published, drafts = page_paths(content)
    body_html = rendered_bodies(content, frozenset(reference_keys), stored_html)
    for entry in content.entries:
        if entry.body_field is None:
            continue
        body = entry.values[entry.body_field]
        for href in internal_links(body_html[entry.model, entry.key]):
            target = href.split("#", 1)[0] if not href.startswith("/faq/#") else href
            if target in published or target in content.unreadable_paths:
                continue
            state = "a draft" if target in drafts else "not a page on this site"
            errors.append(
                ContentError(
                    entry.path,
                    f"links to {href}, which is {state}",
                    line=entry.file_line(line_of(href, body)),
                )
            )


def rendered_bodies(
    content: ContentSet, reference_keys: frozenset[str], stored_html: StoredHtml | None
) -> dict[tuple[type[LoadedFromFile], str], str]:
    """The HTML of every body, to find its links: the stored HTML where the database already holds exactly
    this body (its links are the same), else the body rendered now, once, kept in `content.rendered` so
    that saving stores this rendering instead of making it again."""
    html: dict[tuple[type[LoadedFromFile], str], str] = {}
    to_render: list[Entry] = []
    for entry in content.entries:
        if entry.body_field is None:
            continue
        stored = stored_html(entry) if stored_html else None
        if stored is None:
            to_render.append(entry)
        else:
            html[entry.model, entry.key] = stored
    # Rendered with the references of the files: a body citing any other key is refused above, so this is
    # the same rendering a save makes with the references in the database after loading.
    renderings = bodies.render_bodies(
        [(entry.values[entry.body_field], entry.anchor_prefix) for entry in to_render if entry.body_field],
        known_keys=reference_keys,
        blocks=content.block_sources(),
    )
    for entry, rendering in zip(to_render, renderings, strict=True):
        content.rendered[entry.model, entry.key] = rendering
        html[entry.model, entry.key] = rendering.html
    return html


def read_content(root: Path, *, stored_html: StoredHtml | None = None) -> ContentSet:
    """Read every content file under `root`. Entries come in the order they must be written.

    `stored_html` (see StoredHtml) spares rendering bodies that are already in the database as they are.
    """
    content = ContentSet()
    errors = content.errors
    if not root.is_dir():
        errors.append(ContentError(root, "is not a folder of content"))
        return content
    site = root / "site"
    content.entries += read_yaml_list(
        site / "references.yaml", Reference, REFERENCE_FIELDS, REFERENCE_OPTIONAL, pop_key("key"), errors
    )
    content.entries += read_yaml_list(
        site / "glossary.yaml", GlossaryTerm, GLOSSARY_FIELDS, GLOSSARY_OPTIONAL, slug_of_term, errors
    )
    errors.extend(reference_link_problems(content.of(Reference)))
    content.entries += read_disclaimer(site / "disclaimer.md", errors)
    categories = root / "faq" / "categories.yaml"
    content.entries += read_yaml_list(categories, Category, CATEGORY_FIELDS, {}, pop_key("slug"), errors)
    reference_keys = frozenset(entry.key for entry in content.of(Reference))
    block_files = sorted((root / BLOCKS_FOLDER).glob("*.md"))
    content.entries += read_checked_records(block_files, SharedBlock, reference_keys, frozenset(), errors)
    block_names = frozenset(entry.key for entry in content.of(SharedBlock))
    article_files = sorted((root / "articles").glob("*.md"))
    content.entries += read_checked_records(article_files, Article, reference_keys, block_names, errors)
    question_files = sorted((root / "faq").glob("*.md"))
    content.entries += read_checked_records(question_files, Question, reference_keys, block_names, errors)
    for entry in content.entries:
        if (
            issubclass(entry.model, Reviewed)
            and entry.values["next_review_due"] <= entry.values["last_reviewed"]
        ):
            where = "front matter" if entry.body_field else f"entry {entry.key!r}"
            errors.append(
                ContentError(entry.path, f"{where}: 'next_review_due' must be after 'last_reviewed'")
            )
    for slug in (HOME_SLUG, ABOUT_SLUG):
        if not (root / "articles" / f"{slug}.md").exists():
            errors.append(
                ContentError(root / "articles" / f"{slug}.md", "is missing: the site needs this page")
            )
    read_articles = {entry.key for entry in content.of(Article)}
    read_questions = {entry.key for entry in content.of(Question)}
    content.unreadable_paths = {
        "/" if path.stem == HOME_SLUG else f"/{path.stem}/"
        for path in article_files
        if path.stem not in read_articles
    } | {f"/faq/#{path.stem}" for path in question_files if path.stem not in read_questions}
    check_cross_references(content, stored_html)
    return content
