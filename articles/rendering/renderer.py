"""The one Markdown renderer: every piece of Markdown the site shows passes through `render_markdown`.

Content files, admin saves and the editor's live preview all call it, so a hostile body is neutralised the
same way whichever door it comes through. Markdown is rendered once, on write, and the sanitized HTML is
stored; page views never call this module. bleach is the only sanitizer and lives only here, so moving to
another (nh3) later is a one-file change.
"""

import re
from functools import partial
from urllib.parse import urlsplit

import bleach
import markdown
from bleach.linkifier import LinkifyFilter

from articles.rendering.care_cards import CARD_CLASSES, VISUALLY_HIDDEN, CareCardExtension
from articles.rendering.input_limits import check_limits, render_time_limit

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr",
        "h2", "h3", "h4",
        "ul", "ol", "li",
        "strong", "em", "code", "pre", "blockquote", "sup", "sub",
        "a", "abbr", "div", "span", "details", "summary",
        "table", "thead", "tbody", "tr", "th", "td",
        "figure", "figcaption",
    }
)  # fmt: skip
# Pictures are plain inline SVG drawn from shapes and text, coloured by the site's own classes (so they follow
# the light and low-light themes). Nothing in them can link, load, animate or run anything: no <a>, <use>,
# <image>, <foreignObject>, <style>, <animate> or <set>, and no href or style attributes.
SVG_TAGS = frozenset(
    {
        "svg",
        "g",
        "title",
        "desc",
        "rect",
        "circle",
        "ellipse",
        "line",
        "path",
        "polyline",
        "polygon",
        "text",
        "tspan",
    }
)
PICTURE_CLASSES = frozenset(
    {
        "picture",
        "pic-fill",
        "pic-alert",
        "pic-empty",
        "pic-line",
        "pic-text--on-fill",
        "pic-text",
        "pic-text--small",
        "pic-text--bold",
    }
)
_NUMBERS = re.compile(r"^[-+0-9.,\s]{1,2000}$")
_PATH_DATA = re.compile(r"^[MmLlHhVvCcSsQqTtAaZz0-9.,\s+-]{1,4000}$")
_TRANSFORM = re.compile(r"^(?:\s*(?:translate|scale|rotate)\([-+0-9.,\s]{1,60}\))+\s*$")
_GEOMETRY = (
    *("x", "y", "dx", "dy", "width", "height", "rx", "ry", "cx", "cy", "r"),
    *("x1", "y1", "x2", "y2", "points", "viewBox", "stroke-width"),
)
_SVG_ATTRIBUTES: dict[str, re.Pattern[str]] = {
    **dict.fromkeys(_GEOMETRY, _NUMBERS),
    "d": _PATH_DATA,
    "transform": _TRANSFORM,
    "text-anchor": re.compile(r"^(?:start|middle|end)$"),
    "role": re.compile(r"^img$"),
    # articles.rendering.pictures refuses a longer label before saving, naming the line.
    "aria-label": re.compile(r"^[^<>]{1,1000}$"),
    "aria-hidden": re.compile(r"^true$"),
}

ALLOWED_TAGS = ALLOWED_TAGS | SVG_TAGS
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

# Ids the page layout itself uses: a body must not be able to shadow them (DOM clobbering, broken anchors).
RESERVED_IDS = frozenset({"main", "content", "disclaimer", "references", "site-nav", "skip-link", "search"})
_HEADING_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
_ALLOWED_CLASSES = {
    "a": {"citation", "glossary-term"},
    "div": CARD_CLASSES,
    "h3": CARD_CLASSES,
    "span": {VISUALLY_HIDDEN},
    "figure": PICTURE_CLASSES,
    **dict.fromkeys(SVG_TAGS, PICTURE_CLASSES),
}


def _allowed_classes(tag: str, value: str) -> bool:
    return bool(value) and set(value.split()) <= _ALLOWED_CLASSES.get(tag, set())


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return _allowed_classes(tag, value)
    if tag in SVG_TAGS:
        pattern = _SVG_ATTRIBUTES.get(name)
        return pattern is not None and bool(pattern.match(value))
    if tag == "a":
        return name in {"href", "title", "rel"}
    if tag == "abbr":
        return name == "title"
    if tag in {"h2", "h3", "h4"} and name == "id":
        return bool(_HEADING_ID.match(value)) and value not in RESERVED_IDS
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def _safe_href(href: str) -> bool:
    """Whether a link target is one the site lets through (bleach's own check misses the cases below)."""
    compact = _CONTROL_OR_SPACE.sub("", href).lower()
    if compact[:2] in {"//", "\\\\", "/\\", "\\/"}:
        return False  # protocol-relative: browsers read "/\\host" like "//host", a link off the site
    scheme = _SCHEME.match(compact)
    # "javascript:1" parses as host:port, which bleach lets pass; any scheme must be on the allowlist.
    return scheme is None or scheme.group(1) in ALLOWED_PROTOCOLS


def _set_link_rel(attrs: dict, new: bool = False) -> dict | None:
    """Linkify callback run on every link: unsafe targets are unlinked; external ones get rel="noopener"."""
    href = attrs.get((None, "href"), "")
    if not _safe_href(href):
        return None
    rel_key = (None, "rel")
    if urlsplit(href).netloc:
        attrs[rel_key] = "noopener noreferrer"
    else:
        attrs.pop(rel_key, None)
    return attrs


def _markdown_to_html(text: str) -> str:
    # A fresh Markdown instance per call: instances keep state between conversions and are not thread-safe.
    return markdown.markdown(
        text,
        extensions=["tables", "sane_lists", "toc", CareCardExtension()],
        extension_configs={"toc": {"permalink": False}},
        output_format="html",
    )


def _sanitize(html: str) -> str:
    # A fresh Cleaner per call: bleach's cleaner is not thread-safe.
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"}, parse_email=False)
        ],
    )
    return cleaner.clean(html)


def render_markdown(text: str) -> str:
    """Render Markdown to HTML that is safe to place inside an element (never inside an attribute).

    Raises input_limits.BodyTooComplex for text beyond the limits, which Markdown might take minutes on."""
    check_limits(text)
    with render_time_limit():
        return _sanitize(_markdown_to_html(text))


def normalize_source(text: str) -> str:
    """The one canonical form of a Markdown source: LF line ends, no blank lines at either end.

    Browsers submit textareas with CRLF; without this an admin save that changed nothing would look like
    an edit to the loader.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip() + "\n"
