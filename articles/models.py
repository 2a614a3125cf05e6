"""Articles (the topic pages, home and about), the references they cite, and the site disclaimer."""

import re
from collections.abc import Collection, Container, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from markdownx.models import MarkdownxField

from articles.change_log import validate_change_log
from articles.fingerprints import fingerprint
from articles.rendering.bodies import NO_BLOCKS, BodyJob, BodyRendering, render_body, render_stored_body
from articles.rendering.body_rules import BodyProblem, body_problems
from articles.rendering.citations import CITATION, CITATION_KEY, citation_problems
from articles.rendering.glossary_links import TermMatcher
from articles.rendering.renderer import normalize_source
from articles.rendering.shared_blocks import blocks_used
from articles.rendering.site_links import internal_links
from articles.rendering.table_cells import cell_problems, render_cell
from articles.search_text import (
    SearchableQuerySet,
    glossary_search_text,
    page_search_text,
    search_vector_field,
)

HOME_SLUG = "home"
ABOUT_SLUG = "about"
# The articles that are not topic pages: they keep no topic page's shape and have no main message.
NOT_TOPICS = frozenset({HOME_SLUG, ABOUT_SLUG})
# A record's key is its file name (or its anchor): lowercase words joined by single hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
validate_content_slug = RegexValidator(
    SLUG_PATTERN, "must be lowercase letters, digits and hyphens", code="invalid_slug"
)


def is_content_slug(value: object) -> bool:
    """Whether `value` is a key validate_content_slug accepts (for checks that report in their own words)."""
    # fullmatch: the pattern's '$' would also let through a key ending in a newline (a YAML '|' value).
    return isinstance(value, str) and validate_content_slug.regex.fullmatch(value) is not None


MAIN_MESSAGE_MISSING = (
    "A topic page needs a main message: the one thing a reader should take away, in one sentence."
)


def require_main_message(is_topic: bool, main_message: str) -> None:
    """A topic page, and changes proposed to one, must have a main message."""
    if is_topic and not main_message.strip():
        raise ValidationError({"main_message": MAIN_MESSAGE_MISSING})


# Where a record sits in its list (navigation, FAQ groups).
ORDER_VALIDATORS = [MaxValueValidator(999)]
BODY_HELP = (
    "Markdown. Cite references with [@key]; link pages with /slug/; "
    "put in a shared block with a line {{ block name }}."
)


def cited_in(texts: Iterable[str]) -> list[str]:
    """The reference keys `texts` cite with [@key], in order, each once."""
    return list(dict.fromkeys(key for text in texts for key in CITATION.findall(text)))


OPTIONS_SLUG = "options"  # the article the decision aid's table sits on
# The options article's last section: the aid's certification (IPDAS), shown on the page after the table and
# on every reader's summary, whose reference list is its own, so it cites nothing (body_rules checks both).
CERTIFICATION_HEADING = "About this comparison"


class Status(models.TextChoices):
    """draft -> in review -> published. Only a user with the publish permission may set "published"."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


# What a restore from history keeps as it is now, restoring only the text: a record's place in the workflow
# (a restore never publishes or unpublishes), its review dates, its public change log (a restore adds an
# entry of its own), and where it sits (its order, an answer's category). Related records such as clinical
# reviews are never touched by a restore either.
KEPT_ON_RESTORE = frozenset(
    {"status", "last_reviewed", "next_review_due", "prices_checked", "changes", "order", "category"}
)


class LoadedFromFile(models.Model):
    """A record that `loadcontent` keeps in step with one content file without overwriting admin edits.

    How its files are laid out, exported and found is declared once per model in the content-kind registry
    (articles.registry); the model itself says which fields a file sets.
    """

    KEY_FIELD: ClassVar[str] = "slug"
    TITLE_FIELD: ClassVar[str] = "title"  # what a reader or editor knows the record by
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Plain fields, not a Markdown body, that may cite references with [@key] (the decision aid's cells).
    CITING_FIELDS: ClassVar[tuple[str, ...]] = ()

    source_path = models.CharField(
        max_length=300, blank=True, editable=False, help_text="Content file this record was last loaded from."
    )
    loaded_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def content_key(self) -> str:
        return getattr(self, self.KEY_FIELD)

    def content_values(self) -> dict[str, Any]:
        """The fields a content file sets, as plain values (what the fingerprint covers)."""
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    def apply_content(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(self, name, value)

    def fingerprint(self) -> str:
        return fingerprint(self.content_values())

    @classmethod
    def citing_field_problems(
        cls, values: dict[str, Any], known: Container[str], *, references: str
    ) -> list[tuple[str, str]]:
        """(field, problem) for each citation in CITING_FIELDS of `values` that is not written as [@key] or
        names no reference in `known` (`references`: where the known references are kept, to name it): the
        one rule the loader and the admin apply to such fields."""
        problems = []
        for name in cls.CITING_FIELDS:
            text = values.get(name) or ""
            problems += [(name, problem) for _, problem in citation_problems(text)]
            problems += [
                (name, f"cites {key!r}, which is not in {references}")
                for key in cited_in([text])
                if key not in known and CITATION_KEY.match(key)  # a key written wrongly is reported above
            ]
        return problems

    @classmethod
    def url_for(cls, key: str) -> str | None:
        """The site address of the record keyed `key`: the one place each kind's URL is built (links are
        checked, search results and sitemaps point, with it). None for a kind readers never visit alone."""
        return None


class OnSite:
    """Mixed into a LoadedFromFile model whose records readers visit: the admin's "View on site" and the
    sitemap use its address (url_for). Kinds without a page of their own leave it out."""

    def get_absolute_url(self) -> str:
        return self.url_for(self.content_key)  # type: ignore[attr-defined]


class Reference(LoadedFromFile):
    KEY_FIELD = "key"
    CONTENT_FIELDS = ("authors", "title", "publisher", "year", "details", "url", "link_note")

    key = models.SlugField(
        max_length=80, unique=True, validators=[validate_content_slug], help_text="Cited in bodies as [@key]."
    )
    authors = models.CharField(max_length=500)
    title = models.CharField(
        max_length=500, help_text="In [square brackets] when it describes an untitled source."
    )
    publisher = models.CharField(max_length=300, help_text="Journal or publisher.")
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
        help_text="Leave empty for an undated source.",
    )
    details = models.CharField(
        max_length=400,
        blank=True,
        help_text="Volume, issue, pages, or policy number; a drug label's product, maker and revision.",
    )
    url = models.URLField(
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https"], message="must be an https:// address", code="not_https")],
        help_text="A link a reader can open: DOI, PubMed, a DailyMed label or the publisher's page.",
    )
    link_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Only for a source with no link: why there is none. Shown to readers.",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        permissions = [("publish_reference", "Can publish changes proposed to references")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(url="", link_note=""), name="reference_link_or_reason")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"

    def clean(self) -> None:
        # The database constraint reference_link_or_reason, in words an editor can act on.
        if not self.url and not self.link_note:
            raise ValidationError(
                {
                    "url": "is needed: an address a reader can open (DOI, PubMed, DailyMed label, "
                    "publisher's page) or, where there is none, a 'link_note' saying why"
                }
            )
        if self.url and self.link_note:
            raise ValidationError({"link_note": "is only for a source without a 'url'"})

    @property
    def date_and_details(self) -> str:
        """'2009;15(3):247-257' for a journal (Vancouver style), 'n.d. Web page.' for an undated page."""
        year = str(self.year) if self.year else "n.d."
        if not self.details:
            return year
        if self.details[0].isdigit():
            return f"{year};{self.details}"
        return f"{year} {self.details}" if not self.year else f"{year}. {self.details}"  # "n.d." has its dot

    @property
    def link_label(self) -> str:
        """The link's text in a reference list: the site it opens (the full address is printed on paper by
        the print stylesheet). Whole addresses, repeated for every source, would take a page over its weight
        budget."""
        return urlsplit(self.url).netloc.removeprefix("www.")

    @classmethod
    def known_keys(cls) -> set[str]:
        return set(cls.objects.values_list("key", flat=True))


class Reviewed(models.Model):
    """Content with review dates of its own. A page made of many such records (the FAQ, the glossary) shows
    the oldest review among them (see `oldest_review`)."""

    last_reviewed = models.DateField(help_text="Date of the last whole review.")
    next_review_due = models.DateField()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_due__gt=models.F("last_reviewed")),
                name="%(class)s_next_review_after_last",
            )
        ]

    def clean(self) -> None:
        # The constraint above, checked without the database (the loader checks files with no database).
        super().clean()
        if self.last_reviewed and self.next_review_due and self.next_review_due <= self.last_reviewed:
            raise ValidationError({"next_review_due": "must be after 'last_reviewed'"})


REVIEW_DATES_NEEDED_TO_PUBLISH = "Add 'Last reviewed' and 'Next review due' before publishing."
# Records without both review dates yet (only a draft, or one in review, may be so).
MISSING_REVIEW_DATES = models.Q(last_reviewed__isnull=True) | models.Q(next_review_due__isnull=True)


class ReviewedWhenPublished(Reviewed):
    """Reviewed content with a status (pages, FAQ answers): a draft, or one in review, may have no review
    dates yet, since nobody has reviewed it; it is published only with both. The subclass has `status`.

    The rule holds by every route: the admin form and the loader (clean()), the list action, and the
    database (the constraint), for any other code."""

    last_reviewed = models.DateField(
        null=True, blank=True, help_text="Date of the last whole review. Needed to publish."
    )
    next_review_due = models.DateField(null=True, blank=True, help_text="Needed to publish.")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=MISSING_REVIEW_DATES | models.Q(next_review_due__gt=models.F("last_reviewed")),
                name="%(class)s_next_review_after_last",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.PUBLISHED) | ~MISSING_REVIEW_DATES,
                name="%(class)s_published_has_review_dates",
            ),
        ]

    @property
    def review_dates_missing(self) -> bool:
        return self.last_reviewed is None or self.next_review_due is None

    def clean(self) -> None:
        super().clean()
        if self.status == Status.PUBLISHED and self.review_dates_missing:  # type: ignore[attr-defined]
            missing = [name for name in ("last_reviewed", "next_review_due") if getattr(self, name) is None]
            error = ValidationError(
                REVIEW_DATES_NEEDED_TO_PUBLISH,
                code="review_dates_missing",
                params={"missing": ", ".join(map(repr, missing))},  # for the loader's wording
            )
            raise ValidationError({"status": error})


@dataclass(frozen=True)
class ReviewDates:
    last_reviewed: date
    next_review_due: date


def oldest_review(records: models.QuerySet) -> ReviewDates | None:
    """The review dates a page made of many records shows: its least recently reviewed record's, and the
    soonest review due among them (None when there are no records). Drafts without dates yet (in a staff
    preview) do not count."""
    dated = records.exclude(MISSING_REVIEW_DATES)
    dates = dated.aggregate(last=models.Min("last_reviewed"), due=models.Min("next_review_due"))
    return ReviewDates(dates["last"], dates["due"]) if dates["last"] else None


MIN_ALIAS_LENGTH = 4


def validate_aliases(value: Any) -> None:
    """A glossary term's other names: a list of words or phrases, each long enough not to match inside other
    words."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("must be a list of words or phrases")
    short = [item for item in value if len(item) < MIN_ALIAS_LENGTH]
    if short:
        raise ValidationError(f"{short!r} too short: each must have at least {MIN_ALIAS_LENGTH} letters")


class GlossaryTerm(OnSite, LoadedFromFile, Reviewed):
    """A medical or technical word, explained plainly. Its first use on each page links here."""

    TITLE_FIELD = "term"
    CONTENT_FIELDS = ("term", "definition", "aliases", "last_reviewed", "next_review_due")

    slug = models.SlugField(max_length=80, unique=True, validators=[validate_content_slug])
    term = models.CharField(max_length=80, unique=True)
    definition = models.TextField(
        max_length=500, help_text="Plain text, one or two short sentences (reading grade 6 or lower)."
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text='Other words for it, e.g. ["low blood pressure"].',
    )
    search_text = models.TextField(
        default="", editable=False, help_text="The plain text site search indexes, derived on save."
    )
    search_vector = search_vector_field(TITLE_FIELD)
    updated = models.DateTimeField(auto_now=True)

    objects = SearchableQuerySet.as_manager()

    class Meta(Reviewed.Meta):
        ordering = ["term"]
        permissions = [("publish_glossaryterm", "Can publish changes proposed to glossary terms")]

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        # Rules on a JSON field's items live in clean(), not as field validators, so that no migration
        # imports them.
        super().clean()
        try:
            validate_aliases(self.aliases)
        except ValidationError as error:
            raise ValidationError({"aliases": error.messages}) from None

    def render_stored_fields(self) -> None:
        """Fill the fields derived from the sources. save() calls this; bulk writes must call it first."""
        self.search_text = glossary_search_text(self.definition, self.aliases)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.render_stored_fields()
        super().save(*args, **kwargs)

    @classmethod
    def url_for(cls, key: str) -> str:
        return f"{reverse('articles:glossary')}#{key}"

    @classmethod
    def matchers(cls) -> list[TermMatcher]:
        return [
            TermMatcher(url=cls.url_for(slug), phrases=(term, *aliases))
            for slug, term, aliases in cls.objects.values_list("slug", "term", "aliases")
        ]


def references_in_order(keys: list[str]) -> list[Reference]:
    """The references behind `keys`, in citation-number order (one query)."""
    by_key = Reference.objects.in_bulk(keys, field_name="key")
    return [by_key[key] for key in keys if key in by_key]


class CheckedBody:
    """Mixed into a model with a Markdown body kept to the body rules (articles.rendering.body_rules): what
    those rules ask of its records. The loader, the admin forms and publishing all check a body here."""

    SOURCE_FIELD: ClassVar[str] = "body"
    # Whether the body may use shared blocks (a block's own body may not).
    USES_BLOCKS: ClassVar[bool] = True
    # Shown on every page (the disclaimer): it may cite nothing and use no shared block.
    SHOWN_EVERYWHERE: ClassVar[bool] = False

    @classmethod
    def is_topic_key(cls, key: str) -> bool:
        """Whether the record keyed `key` is a topic page: its body keeps a topic page's shape (key points,
        what is not known) and it has a main message. Models with topic pages decide it here, once."""
        return False

    @classmethod
    def closing_section_for(cls, key: str) -> str | None:
        """The heading of the section the body of the record keyed `key` must end with, citing nothing
        (None for most records)."""
        return None

    @classmethod
    def body_problems(
        cls, text: str, *, key: str | None, reference_keys: Collection[str], block_names: Collection[str]
    ) -> list[BodyProblem]:
        """Everything wrong in `text` as the body of this model's record keyed `key` (None: not known yet),
        given the references and shared blocks there are."""
        return body_problems(
            text,
            reference_keys=reference_keys,
            block_names=block_names if cls.USES_BLOCKS else (),
            in_block=not cls.USES_BLOCKS,
            topic_page=key is not None and cls.is_topic_key(key),
            closing_section=cls.closing_section_for(key) if key is not None else None,
            shown_everywhere=cls.SHOWN_EVERYWHERE,
        )


class RenderedBody(CheckedBody, models.Model):
    """A Markdown source rendered on save into stored HTML, with its citations and reading level."""

    HTML_FIELD: ClassVar[str] = "body_html"

    reference_keys = models.JSONField(default=list, editable=False)
    shared_blocks = models.JSONField(
        default=list, editable=False, help_text="The shared blocks the body uses, derived on save."
    )
    site_links = models.JSONField(
        null=True,
        editable=False,
        help_text="The pages of this site the stored HTML links to, derived on save: the loader checks them "
        "without reading the HTML (None: not known, the body is rendered again to find them).",
    )
    reading_grade = models.FloatField(
        null=True, editable=False, help_text="Flesch-Kincaid grade of the text."
    )
    smog_index = models.FloatField(null=True, editable=False)
    key_points_grade = models.FloatField(null=True, editable=False)
    care_card_grade = models.FloatField(
        null=True, editable=False, help_text="Grade of the hardest care card."
    )

    class Meta:
        abstract = True

    # Set by the loader: this body rendered ahead of saving (it renders many at once, across processes).
    # Used only when it was rendered from exactly the source being saved.
    prepared_rendering: BodyRendering | None = None

    @classmethod
    def anchor_prefix_for(cls, key: str) -> str:
        """How the reference anchors of the record keyed `key` start."""
        return "ref-"

    def render_source(self, source: str, *, anchor_prefix: str = "ref-") -> str:
        """Render `source`, note its citations and reading level, and return the HTML to store."""
        rendering = self.prepared_rendering
        if rendering is None or (rendering.source, rendering.anchor_prefix) != (source, anchor_prefix):
            rendering = render_stored_body(
                BodyJob(source, anchor_prefix),
                known_keys=Reference.known_keys(),
                matchers=GlossaryTerm.matchers(),
                blocks=SharedBlock.sources() if self.USES_BLOCKS else NO_BLOCKS,
            )
        self.prepared_rendering = None  # a later save renders afresh: glossary or references may change
        self.reference_keys = list(rendering.reference_keys)
        self.shared_blocks = blocks_used(source) if self.USES_BLOCKS else []
        self.site_links = internal_links(rendering.html)
        reading = rendering.readability
        self.reading_grade = reading.main.grade if reading.main else None
        self.smog_index = reading.main.smog if reading.main else None
        self.key_points_grade = reading.key_points.grade if reading.key_points else None
        self.care_card_grade = reading.hardest_care_card.grade if reading.hardest_care_card else None
        return rendering.html

    def render_stored_fields(self) -> None:
        """Derive the stored fields from the Markdown source: what save() does before writing."""
        raise NotImplementedError

    @classmethod
    def rendered_fields(cls) -> list[str]:
        """The fields render_stored_fields() fills: every stored field nobody edits, except a record's file
        bookkeeping, timestamps, relations and what the database derives itself. A body rendered again writes
        only these, so that it never writes back a text someone saved meanwhile."""
        return [
            field.name
            for field in cls._meta.concrete_fields
            if not field.editable
            and not field.primary_key
            and not field.is_relation
            and not field.generated
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
            and field.name not in {"source_path", "loaded_fingerprint"}
        ]

    @property
    def is_topic(self) -> bool:
        return self.is_topic_key(getattr(self, self.KEY_FIELD))

    def references(self) -> list[Reference]:
        attached = getattr(self, "_attached_references", None)
        return attached if attached is not None else references_in_order(self.reference_keys)


def attach_references(bodies: Iterable[RenderedBody]) -> None:
    """Fetch the references of many bodies in one query, for pages that list many (the FAQ): asked one by
    one, the page's queries would grow with every answer."""
    bodies = list(bodies)
    by_key = Reference.objects.in_bulk(
        {key for body in bodies for key in body.reference_keys}, field_name="key"
    )
    for body in bodies:
        body._attached_references = [by_key[key] for key in body.reference_keys if key in by_key]


_SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
MIN_SECTIONS_FOR_CONTENTS = 4


def contents_of(html: str) -> list[dict[str, str]]:
    """The page's sections (its h2 headings with their anchors), for a contents list on long pages."""
    return [{"id": anchor, "title": strip_tags(title).strip()} for anchor, title in _SECTION.findall(html)]


class ArticleQuerySet(SearchableQuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def topics(self) -> "ArticleQuerySet":
        """The topic pages: every article but the home and about pages."""
        return self.exclude(slug__in=NOT_TOPICS)


class CreatedInAdmin(models.Model):
    """Who added the record in the admin: an Editor may delete their own drafts
    (articles.editorial.own_drafts). Empty for a record loaded from a file, which the file keeps."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
        help_text="Who added it in the admin; empty for a record loaded from a file.",
    )

    class Meta:
        abstract = True


class Article(OnSite, LoadedFromFile, RenderedBody, ReviewedWhenPublished, CreatedInAdmin):
    CONTENT_FIELDS = (
        "title",
        "summary",
        "main_message",
        "order",
        "status",
        "last_reviewed",
        "next_review_due",
        "changes",
        "prices_checked",
        "body",
    )

    slug = models.SlugField(max_length=80, unique=True, validators=[validate_content_slug])
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=160, help_text="One sentence; used as the meta description.")
    main_message = models.CharField(
        max_length=200,
        blank=True,
        help_text="Topic pages: the one thing a reader should take away, in one active sentence. "
        "Shown under the title.",
    )
    body = MarkdownxField(help_text=BODY_HELP)
    body_html = models.TextField(editable=False, help_text="Sanitized HTML rendered from body on save.")
    order = models.PositiveSmallIntegerField(
        default=100, validators=ORDER_VALIDATORS, help_text="Position in the navigation."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    changes = models.JSONField(
        default=list,
        help_text='The public change log, newest first: [{"date": "YYYY-MM-DD", "summary": "..."}].',
    )
    prices_checked = models.DateField(
        null=True, blank=True, help_text="Cost pages: when prices were last checked."
    )
    contents = models.JSONField(
        default=list, editable=False, help_text="The page's sections, for its contents list."
    )
    search_text = models.TextField(
        default="", editable=False, help_text="The plain text site search indexes, derived on save."
    )
    search_vector = search_vector_field(LoadedFromFile.TITLE_FIELD)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    review_steps = GenericRelation("ReviewStep")

    objects = ArticleQuerySet.as_manager()

    class Meta(ReviewedWhenPublished.Meta):
        ordering = ["order", "title"]
        permissions = [("publish_article", "Can publish articles and record clinical reviews")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        for name, check in (
            ("main_message", lambda: require_main_message(self.is_topic, self.main_message)),
            ("changes", lambda: validate_change_log(self.changes)),
        ):
            try:
                check()
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)

    def render_stored_fields(self) -> None:
        """Fill every field derived from the sources: HTML, citations, reading level, contents, search text.

        save() calls this. A bulk write (bulk_create, bulk_update: they skip save()) must call it on each
        object first, and bulk_update must list the derived fields too.
        """
        self.body = normalize_source(self.body)
        self.body_html = self.render_source(self.body)
        self.contents = contents_of(self.body_html)
        self.search_text = page_search_text(self.summary, self.body_html)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.render_stored_fields()
        super().save(*args, **kwargs)

    @classmethod
    def url_for(cls, key: str) -> str:
        if key == HOME_SLUG:
            return reverse("articles:home")
        return reverse("articles:detail", kwargs={"slug": key})

    @property
    def contents_list(self) -> list[dict[str, str]]:
        """Sections to list at the top of a long page (none on a short one)."""
        return self.contents if len(self.contents) >= MIN_SECTIONS_FOR_CONTENTS else []

    @classmethod
    def is_topic_key(cls, key: str) -> bool:
        return key not in NOT_TOPICS

    @classmethod
    def closing_section_for(cls, key: str) -> str | None:
        return CERTIFICATION_HEADING if key == OPTIONS_SLUG else None

    def latest_clinical_review(self) -> "ClinicalReview | None":
        return self.clinical_reviews.first()


class ClinicalReview(models.Model):
    """A real review of a page by a named clinician. Pages show a reviewer only when one of these exists."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="clinical_reviews")
    reviewer_name = models.CharField(max_length=120)
    reviewer_role = models.CharField(max_length=120, help_text="For example: Consultant neurologist.")
    reviewed_on = models.DateField()
    notes = models.TextField(blank=True, help_text="Not shown to readers.")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reviewer_name} ({self.reviewer_role}), {self.reviewed_on}"


class RevisionStatus(models.TextChoices):
    """Proposed changes are written, then submitted. A reviewer publishes them (they are applied to the live
    record and kept, read-only, as the record of what was published) or sends them back with a comment (their
    editor can change them again and resubmit them)."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SENT_BACK = "sent_back", "Sent back"
    PUBLISHED = "published", "Published"


def when_said(moment: datetime) -> str:
    """A moment as the admin tells editors when something was saved or done: "30 November 2026 at 06:52",
    in the site's time zone."""
    return f"{timezone.localtime(moment):%d %B %Y at %H:%M}"


class ReviewStep(models.Model):
    """One step of a record's review: submitted, published, or sent back with the reviewer's comment; by whom
    and when. Pages, FAQ answers and proposed changes share it (a generic key).

    The review's own record, apart from the record reviewed: it names whom to tell of the outcome (who
    submitted a page), keeps every comment after the record is resubmitted, and is not rewound when an old
    version of a page is restored from its history.
    """

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        PUBLISHED = "published", "Published"
        SENT_BACK = "sent_back", "Sent back"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey()
    action = models.CharField(max_length=20, choices=Action.choices)
    comment = models.TextField(blank=True, help_text="Sending back: what needs changing, for the editor.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        # No user: a content load's step (its comment names the file), or a user since deleted.
        by = f" by {self.user.get_username()}" if self.user else ""
        return f"{self.get_action_display()}{by} on {when_said(self.at)}"


class ProposedChange(models.Model):
    """Changes proposed to a live record (a page, an FAQ answer, the disclaimer, a glossary term, a reference,
    a shared block), kept apart from it.

    Readers keep seeing the live text until a clinical reviewer publishes the changes
    (articles.editorial.publishing); the record's history keeps the text they replace. `based_on` notes which
    text of the record the changes were written against, so that changes made to it since (a file loaded,
    other changes published) are never silently overwritten.
    """

    LIVE_FIELD: ClassVar[str]  # the foreign key to the live record
    # What the changes may revise, by the live record's field names; keys, review dates and status stay with
    # the reviewer.
    REVISED_FIELDS: ClassVar[tuple[str, ...]]

    change_note = models.CharField(
        max_length=200,
        help_text="What changed, in one line. It goes into the history, and into a page's public change log "
        "dated the day the changes are published.",
    )
    status = models.CharField(max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    based_on = models.CharField(max_length=64, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    review_steps = GenericRelation(ReviewStep)

    class Meta:
        abstract = True
        ordering = ["-updated"]

    def __str__(self) -> str:
        return f"Changes to “{self.live}”"

    @classmethod
    def live_model(cls) -> type[LoadedFromFile]:
        return cls._meta.get_field(cls.LIVE_FIELD).related_model

    @classmethod
    def model_for(cls, live_model: type[models.Model]) -> "type[ProposedChange] | None":
        """The kind of proposed changes made to records of `live_model` (None: they are changed in place):
        the one place this is worked out, from each kind's LIVE_FIELD."""
        return next(
            (
                model
                for model in apps.get_models()
                if issubclass(model, ProposedChange) and model.live_model() is live_model
            ),
            None,
        )

    @classmethod
    def revises_checked_body(cls) -> bool:
        """Whether the live record has a Markdown body kept to the body rules (CheckedBody)."""
        return issubclass(cls.live_model(), CheckedBody)

    @classmethod
    def revises_rendered_body(cls) -> bool:
        """Whether the live record has a body rendered and checked as a page's is (citations, care cards,
        shared blocks). Other kinds are checked by their model's own rules (full_clean)."""
        return issubclass(cls.live_model(), RenderedBody)

    @classmethod
    def source_field(cls) -> str | None:
        """The live record's Markdown field, if it has one: normalised as the live record's save does."""
        return getattr(cls.live_model(), "SOURCE_FIELD", None)

    @classmethod
    def is_live(cls, record: models.Model) -> bool:
        """Whether readers see `record`, so that changes to it must be proposed apart. A record with a status
        is seen once published (a draft is edited in place); one without, as soon as it exists."""
        return record.pk is not None and getattr(record, "status", Status.PUBLISHED) == Status.PUBLISHED

    @classmethod
    def live_records(cls) -> models.QuerySet:
        """The records changes may be proposed to: those `is_live` accepts."""
        records = cls.live_model().objects.all()
        has_status = any(field.name == "status" for field in cls.live_model()._meta.fields)
        return records.filter(status=Status.PUBLISHED) if has_status else records

    @property
    def live(self) -> LoadedFromFile:
        return getattr(self, self.LIVE_FIELD)

    @property
    def live_id(self) -> int:
        return getattr(self, f"{self.LIVE_FIELD}_id")

    @classmethod
    def text_fingerprint(cls, record: models.Model) -> str:
        """Which text of the live record changes were started from (or are), as `based_on` stores it."""
        source = cls.source_field()
        return fingerprint(
            {
                name: normalize_source(getattr(record, name)) if name == source else getattr(record, name)
                for name in cls.REVISED_FIELDS
            }
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        source = self.source_field()
        if source in self.REVISED_FIELDS:
            setattr(self, source, normalize_source(getattr(self, source)))
        super().save(*args, **kwargs)

    def applied_to(self, record: LoadedFromFile) -> LoadedFromFile:
        """`record` (the live one) with these changes written over it, not saved."""
        for name in self.REVISED_FIELDS:
            setattr(record, name, getattr(self, name))
        return record

    def proposed_record(self) -> LoadedFromFile:
        """A fresh copy of the live record as it would be with these changes published, not saved."""
        return self.applied_to(self.live_model().objects.get(pk=self.live_id))

    def as_live(self) -> "RenderedBody":
        """The live page or answer as it would be with these changes published, rendered but not saved (for
        the preview)."""
        record = self.proposed_record()
        assert isinstance(record, RenderedBody)
        record.render_stored_fields()
        return record


class PageRevision(ProposedChange):
    LIVE_FIELD = "article"
    REVISED_FIELDS = ("title", "summary", "main_message", "body")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=160, help_text="One sentence; used as the meta description.")
    main_message = models.CharField(
        max_length=200, blank=True, help_text=Article._meta.get_field("main_message").help_text
    )
    body = MarkdownxField(help_text=BODY_HELP)

    def clean(self) -> None:
        super().clean()
        if self.article_id:
            require_main_message(self.article.is_topic, self.main_message)

    class Meta(ProposedChange.Meta):
        verbose_name = "proposed change to a live page"
        verbose_name_plural = "proposed changes to live pages"


class SharedBlock(LoadedFromFile, RenderedBody):
    """Content written once and shown on every page that uses it (articles.rendering.shared_blocks), such as
    the emergency card for reactions to the drip, or a picture. Saving one renders those pages again."""

    USES_BLOCKS = False
    CONTENT_FIELDS = ("title", "body")

    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_content_slug],
        help_text="Its name in pages: {{ block slug }}.",
    )
    title = models.CharField(
        max_length=120, help_text="What the block is, for editors. Not shown to readers."
    )
    body = MarkdownxField(help_text="Markdown, as in a page. Cite references with [@key].")
    body_html = models.TextField(editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        permissions = [("publish_sharedblock", "Can publish changes proposed to shared blocks")]

    def __str__(self) -> str:
        return f"{self.slug}: {self.title}"

    def render_stored_fields(self) -> None:
        self.body = normalize_source(self.body)
        self.body_html = self.render_source(self.body)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.render_stored_fields()
        super().save(*args, **kwargs)

    @classmethod
    def sources(cls) -> dict[str, str]:
        """Each block's name and Markdown, as render_body takes them."""
        return dict(cls.objects.values_list("slug", "body"))


@dataclass(frozen=True)
class TableQuestion:
    field: str
    label: str  # the question as the table asks it


CELL_MAX_LENGTH = 300


def cell_field(help_text: str) -> models.TextField:
    return models.TextField(max_length=CELL_MAX_LENGTH, help_text=help_text)


class DecisionOption(LoadedFromFile, Reviewed):
    """One option of the decision aid on the options page: a column of its table, answering the same
    questions as every other option (QUESTIONS), each in one short, cited paragraph."""

    TITLE_FIELD = "name"
    QUESTIONS: ClassVar[tuple[TableQuestion, ...]] = (
        TableQuestion("taken", "How you take it"),
        TableQuestion("works", "How well it works"),
        TableQuestion("sure", "How sure we are"),
        TableQuestion("side_effects", "Side effects"),
        TableQuestion("cost", "Cost"),
        TableQuestion("effort", "Time and effort"),
        TableQuestion("living", "Living with it"),
    )
    CITING_FIELDS = tuple(question.field for question in QUESTIONS)
    CONTENT_FIELDS = (
        "name",
        "order",
        *CITING_FIELDS,
        "last_reviewed",
        "next_review_due",
    )

    slug = models.SlugField(max_length=60, unique=True, validators=[validate_content_slug])
    name = models.CharField(max_length=40, unique=True, help_text="Short: it heads the option's answers.")
    order = models.PositiveSmallIntegerField(
        validators=ORDER_VALIDATORS, help_text="Where the option comes in the table, lowest first."
    )
    taken = cell_field("How it is taken or done: by mouth, by drip, how often.")
    works = cell_field('How well it works, with figures as "X in 100", each cited.')
    sure = cell_field("How sure we are: how many and how good the studies are.")
    side_effects = cell_field("Its side effects and risks.")
    cost = cell_field("What it costs, cited; where prices vary, say so.")
    effort = cell_field("Time and effort: visits, daily pills, how long before you can tell.")
    living = cell_field("What it is like to live with.")
    # Each question's cell as sanitized HTML, citations kept as [@key] (articles.rendering.table_cells).
    cells_html = models.JSONField(default=dict, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta(Reviewed.Meta):
        ordering = ["order", "name"]
        verbose_name = "decision aid option"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {
            question.field: problems
            for question in self.QUESTIONS
            if (problems := cell_problems(getattr(self, question.field) or ""))
        }
        if errors:
            raise ValidationError(errors)

    def render_stored_fields(self) -> None:
        """Fill the fields derived from the sources. save() calls this; bulk writes must call it first."""
        self.cells_html = {q.field: render_cell(getattr(self, q.field)) for q in self.QUESTIONS}

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.render_stored_fields()
        super().save(*args, **kwargs)

    def cited_keys(self) -> list[str]:
        """The references its cells cite, in table order, each once."""
        return cited_in(getattr(self, name) for name in self.CITING_FIELDS)

    def cell_html(self, field: str) -> str:
        """A cell's stored HTML; rendered now for a row saved before the question existed (a migration that
        adds a question leaves old rows without it until they are saved)."""
        stored = self.cells_html.get(field)
        return stored if stored is not None else render_cell(getattr(self, field))


class Disclaimer(LoadedFromFile, CheckedBody):
    """The medical disclaimer shown on every page.

    One record. Without it, pages fall back to the built-in text in
    templates/includes/disclaimer_default.html.
    """

    CONTENT_FIELDS = ("title", "body")
    USES_BLOCKS = False
    SHOWN_EVERYWHERE = True  # the same on every page, so it cites nothing

    slug = models.SlugField(max_length=40, unique=True, default="disclaimer", editable=False)
    title = models.CharField(max_length=120, default="Medical disclaimer")
    body = MarkdownxField()
    body_html = models.TextField(editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        permissions = [("publish_disclaimer", "Can publish changes proposed to the disclaimer")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body = normalize_source(self.body)
        # The disclaimer cites nothing: it must read the same on every page.
        self.body_html = render_body(self.body, known_keys=()).html
        super().save(*args, **kwargs)


def proposed_field(model: type[models.Model], name: str) -> models.Field:
    """`model`'s field `name` as proposed changes hold it: the same type, limits, validators and help, but
    never unique (whether a value clashes with another record is checked when the changes are published)."""
    field = model._meta.get_field(name)
    _, _, args, kwargs = field.deconstruct()
    kwargs.pop("unique", None)
    return type(field)(*args, **kwargs)


class DisclaimerRevision(ProposedChange):
    LIVE_FIELD = "disclaimer"
    REVISED_FIELDS = ("title", "body")

    disclaimer = models.ForeignKey(Disclaimer, on_delete=models.CASCADE, related_name="revisions")
    title = proposed_field(Disclaimer, "title")
    body = proposed_field(Disclaimer, "body")

    class Meta(ProposedChange.Meta):
        verbose_name = "proposed change to the disclaimer"
        verbose_name_plural = "proposed changes to the disclaimer"


class GlossaryTermRevision(ProposedChange):
    LIVE_FIELD = "glossary_term"
    REVISED_FIELDS = ("term", "definition", "aliases")  # its slug is its anchor: links use it

    glossary_term = models.ForeignKey(GlossaryTerm, on_delete=models.CASCADE, related_name="revisions")
    term = proposed_field(GlossaryTerm, "term")
    definition = proposed_field(GlossaryTerm, "definition")
    aliases = proposed_field(GlossaryTerm, "aliases")

    class Meta(ProposedChange.Meta):
        verbose_name = "proposed change to a glossary term"
        verbose_name_plural = "proposed changes to glossary terms"


class ReferenceRevision(ProposedChange):
    LIVE_FIELD = "reference"
    REVISED_FIELDS = Reference.CONTENT_FIELDS  # all but its key, which bodies cite

    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="revisions")
    authors = proposed_field(Reference, "authors")
    title = proposed_field(Reference, "title")
    publisher = proposed_field(Reference, "publisher")
    year = proposed_field(Reference, "year")
    details = proposed_field(Reference, "details")
    url = proposed_field(Reference, "url")
    link_note = proposed_field(Reference, "link_note")

    class Meta(ProposedChange.Meta):
        verbose_name = "proposed change to a reference"
        verbose_name_plural = "proposed changes to references"


class SharedBlockRevision(ProposedChange):
    LIVE_FIELD = "shared_block"
    REVISED_FIELDS = ("title", "body")  # its slug is how pages name it

    shared_block = models.ForeignKey(SharedBlock, on_delete=models.CASCADE, related_name="revisions")
    title = proposed_field(SharedBlock, "title")
    body = proposed_field(SharedBlock, "body")

    class Meta(ProposedChange.Meta):
        verbose_name = "proposed change to a shared block"
        verbose_name_plural = "proposed changes to shared blocks"


class Feedback(models.Model):
    """A reader's answer to "Was this page helpful?", with an optional comment.

    Nothing here identifies the reader: no address, browser or name is kept. The rate limit works on a
    keyed hash of the address held only in the cache (articles.feedback.views).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    # At most 1000 characters: the view refuses longer text (a 400) rather than cutting it off unseen.
    comment = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.article.title}: {'Yes' if self.helpful else 'No'}"
