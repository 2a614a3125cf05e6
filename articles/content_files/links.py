"""Links between pages: every internal link in a rendered body must reach a published page (or an anchor
that exists on a page that lists records at anchors, such as /faq/#slug)."""

from dataclasses import dataclass, field

from articles.content_files.entries import ContentSet
from articles.models import Status
from articles.registry import content_kinds


def line_of(needle: str, haystack: str) -> int | None:
    position = haystack.find(needle)
    return haystack.count("\n", 0, position) + 1 if position >= 0 else None


@dataclass
class SitePaths:
    """The site paths the content creates, to check links against."""

    published: set[str] = field(default_factory=set)
    drafts: set[str] = field(default_factory=set)
    # Pages that list records at anchors that may be drafts (/faq/#slug): a link to one of these must name an
    # anchor that is published. Anchors of records that are never drafts (glossary terms) are not checked: a
    # body's stored HTML links the terms as they were when it was saved.
    anchored: set[str] = field(default_factory=set)

    def problem(self, href: str) -> str | None:
        """Why a link to `href` is broken, or None."""
        page = href.split("#", 1)[0]
        target = href if page in self.anchored and "#" in href else page
        if target in self.published:
            return None
        return "a draft" if target in self.drafts else "not a page on this site"


def site_paths(content: ContentSet) -> SitePaths:
    paths = SitePaths()
    for kind in content_kinds():
        model = kind.model
        can_be_draft = "status" in model.CONTENT_FIELDS
        sample = model.url_for("any")
        if sample is None:
            continue
        page, hash_sign, _ = sample.partition("#")
        if hash_sign:
            paths.published.add(page)  # the page listing the records exists whatever they are
            if not can_be_draft:
                continue
            paths.anchored.add(page)
        for entry in content.of(model):
            published = entry.values.get("status", Status.PUBLISHED) == Status.PUBLISHED
            (paths.published if published else paths.drafts).add(model.url_for(entry.key))
    return paths
