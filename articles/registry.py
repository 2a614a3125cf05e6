"""The registry of content kinds: what the content system knows about each kind of record kept in files.

A kind is declared once, by the app that owns its model (in its AppConfig.ready()), with `register()`:

- the model, which says which fields a file sets (CONTENT_FIELDS), its key (KEY_FIELD), which field holds
  Markdown (SOURCE_FIELD), its limits (its fields and validators) and its address (`url_for`);
- how its files are laid out (`MarkdownFolder`, `SingleFile` or `YamlList`) and exported;
- whether and how site search finds it (`Findable`) and what the editors' dashboard shows of it
  (`OnDashboard`).

The loader, the exporter, the sync, search, the dashboard and the page cache read the registry, so a new kind
touches its app and nothing else.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import reversion

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from articles.models import LoadedFromFile


def by_key(key: str, values: dict[str, Any]) -> Any:
    return key


@dataclass(frozen=True)
class MarkdownFolder:
    """One Markdown file per record, `<folder>/<key>.md`: front matter, then the Markdown body."""

    folder: str
    required_keys: tuple[str, ...] = ()  # records the site cannot do without (the home page)

    def path_of(self, key: str) -> Path:
        return Path(self.folder) / f"{key}.md"

    def paths(self, root: Path) -> list[Path]:
        return sorted((root / self.folder).glob("*.md"))


@dataclass(frozen=True)
class SingleFile:
    """One record in one Markdown file (the disclaimer), which must exist. Its key is the default of the
    model's key field."""

    path: str

    def path_of(self, key: str) -> Path:
        return Path(self.path)

    def paths(self, root: Path) -> list[Path]:
        return [root / self.path]


@dataclass(frozen=True)
class YamlList:
    """Many records in one YAML list, one mapping per record."""

    path: str
    # How a record's key is made from its values (a glossary term's slug from its term). Without it, each
    # entry names its key under the model's KEY_FIELD ("key", "slug").
    derive_key: Callable[[dict[str, Any]], str] | None = None
    header: str = ""  # comment lines the export writes above the list
    # Sort key of (key, values): the export writes entries in this order, so an added record always lands
    # in the same place.
    export_order: Callable[[str, dict[str, Any]], Any] = by_key

    def path_of(self, key: str) -> Path:
        return Path(self.path)

    def paths(self, root: Path) -> list[Path]:
        return [root / self.path]


Layout = MarkdownFolder | SingleFile | YamlList


@dataclass(frozen=True)
class Findable:
    """How site search finds a kind: `name` is the result's kind ("page", "faq", "glossary"); `findable`
    narrows the model's rows to those a reader may find (published ones); results of equal rank are listed
    by `listing_order`, then in the model's Meta.ordering. The model needs a search vector and
    `objects.search()` (articles.search_text)."""

    name: str
    findable: Callable[["QuerySet[Any]"], "QuerySet[Any]"] = lambda rows: rows
    listing_order: int = 100  # lower first, among results of equal rank


@dataclass(frozen=True)
class OnDashboard:
    """What the editors' dashboard lists of a kind: records and proposed changes waiting for a reviewer
    (`label`, e.g. "Page"), and, with `review_reminders`, records whose review is overdue or due soon."""

    label: str
    changes_label: str = ""  # for changes proposed to a live record ("Changes to a live page")
    review_reminders: bool = False


@dataclass(frozen=True)
class ContentKind:
    model: type["LoadedFromFile"]
    files: Layout
    search: Findable | None = None
    dashboard: OnDashboard | None = None
    # What else a saved record of this kind changes: "all" bodies (a glossary term links from every page), or
    # the bodies that "use" it (a shared block).
    renders_into_bodies: Literal["all", "users"] | None = None

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def key_in_entry(self) -> str | None:
        """The name a YAML list entry gives its key under (None where the key is derived, or not a list)."""
        if isinstance(self.files, YamlList) and self.files.derive_key is None:
            return self.model.KEY_FIELD
        return None

    def key_of(self, values: dict[str, Any]) -> str:
        """A YAML list entry's key, from its checked values."""
        assert isinstance(self.files, YamlList)
        derive = self.files.derive_key
        return derive(values) if derive is not None else values[self.model.KEY_FIELD]

    @property
    def single_key(self) -> str:
        """A SingleFile kind's one key: the model's key field's default."""
        return self.model._meta.get_field(self.model.KEY_FIELD).default

    @property
    def body_field(self) -> str | None:
        """The field the Markdown body of a file goes into (None for a YAML list)."""
        return None if isinstance(self.files, YamlList) else self.model.SOURCE_FIELD

    @property
    def has_checked_body(self) -> bool:
        """A Markdown body kept to the body rules (the model is a CheckedBody): care cards, citations..."""
        return hasattr(self.model, "body_problems") and self.body_field is not None

    @property
    def has_rendered_body(self) -> bool:
        """A body rendered with citations, care cards and glossary links, and checked as one."""
        return hasattr(self.model, "HTML_FIELD") and self.body_field is not None

    @property
    def uses_blocks(self) -> bool:
        return self.has_rendered_body and self.model.USES_BLOCKS

    @property
    def phase(self) -> int:
        """Kinds are read and written in phases: plain records first, then bodies that shared blocks
        are made of, then bodies that use shared blocks (they render with the blocks, references and
        glossary already in place)."""
        if not self.has_rendered_body:
            return 0
        return 2 if self.uses_blocks else 1


_KINDS: dict[type, ContentKind] = {}


def register(*kinds: ContentKind) -> None:
    """Declare kinds (from an AppConfig.ready()). Registering a model again replaces its kind.

    Every kind keeps a history (django-reversion): loads and exports record what they change. A model the
    admin already registered (VersionAdmin does) keeps that registration.
    """
    for kind in kinds:
        _KINDS[kind.model] = kind
        if not reversion.is_registered(kind.model):
            reversion.register(kind.model)


def content_kinds() -> list[ContentKind]:
    """Every kind, in the order records are read and written."""
    return sorted(_KINDS.values(), key=lambda kind: kind.phase)


def kind_of(model: type) -> ContentKind:
    return _KINDS[model]


def models() -> Iterator[type["LoadedFromFile"]]:
    return (kind.model for kind in content_kinds())


def body_kinds() -> list[ContentKind]:
    """The kinds whose bodies use shared blocks (pages, FAQ answers): written last, rendered again when
    a glossary term or a block changes."""
    return [kind for kind in content_kinds() if kind.uses_blocks]


def searchable_kinds() -> list[ContentKind]:
    return [kind for kind in _KINDS.values() if kind.search is not None]


_PATHS_SERVED_ELSEWHERE: set[str] = set()


def reserve_paths(*segments: str) -> None:
    """First path segments the site serves outside its URLconf (static files, a middleware's /healthz/)."""
    _PATHS_SERVED_ELSEWHERE.update(segments)


_PAGES_WITH_SUBPATHS: set[str] = set()


def allow_subpaths_of(*segments: str) -> None:
    """First path segments whose deeper paths the site serves for the record at /<segment>/ itself (the
    options page's /options/summary/): they do not keep a record from taking /<segment>/."""
    _PAGES_WITH_SUBPATHS.update(segments)


def paths_the_site_serves() -> frozenset[str]:
    """The first segments of every path the site serves itself ("faq", "search", the admin's...): a record
    whose page would be /<key>/ may not take one of them (it would shadow, or be shadowed by, that path, and
    a front server's rules for a prefix would catch it)."""
    from django.urls import URLResolver, get_resolver

    def routes(patterns: list[Any]) -> Iterator[str]:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver) and not route:
                yield from routes(pattern.url_patterns)  # an include() at the root
            else:
                yield route

    served = {route.split("/", 1)[0] for route in routes(get_resolver().url_patterns)} - _PAGES_WITH_SUBPATHS
    return (
        frozenset(segment for segment in served if segment and "<" not in segment) | _PATHS_SERVED_ELSEWHERE
    )


_OTHER_PAGE_SOURCES: list[type] = []


def register_page_source(*models: type) -> None:
    """Models that public pages are built from but that no file holds (a page's clinical reviews)."""
    _OTHER_PAGE_SOURCES.extend(model for model in models if model not in _OTHER_PAGE_SOURCES)


def page_sources() -> list[type]:
    """Everything a public page is built from: saving or deleting any of it changes a page (the page cache
    drops its pages on their signals). Reader feedback is deliberately absent: a vote changes no page."""
    return [*models(), *_OTHER_PAGE_SOURCES]
