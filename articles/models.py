"""Articles (the topic pages, home and about), the references they cite, and the site disclaimer."""

from datetime import date
from typing import Any, ClassVar

from django.db import models
from django.urls import reverse
from markdownx.models import MarkdownxField

from articles.bodies import render_body
from articles.fingerprints import fingerprint
from ivmt_site.rendering import normalize_source

HOME_SLUG = "home"
ABOUT_SLUG = "about"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class LoadedFromFile(models.Model):
    """A record that `loadcontent` keeps in step with one content file without overwriting admin edits."""

    KEY_FIELD: ClassVar[str] = "slug"
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ()

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

    @property
    def edited_since_load(self) -> bool:
        return self.fingerprint() != self.loaded_fingerprint


class Reference(LoadedFromFile):
    KEY_FIELD = "key"
    CONTENT_FIELDS = ("authors", "title", "publisher", "year", "details", "url")

    key = models.SlugField(max_length=80, unique=True, help_text="Cited in bodies as [@key].")
    authors = models.CharField(max_length=500)
    title = models.CharField(
        max_length=500, help_text="In [square brackets] when it describes an untitled source."
    )
    publisher = models.CharField(max_length=300, help_text="Journal or publisher.")
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty for an undated source."
    )
    details = models.CharField(
        max_length=200, blank=True, help_text="Volume, issue, pages, or policy number."
    )
    url = models.URLField(max_length=500, blank=True, help_text="PubMed or DOI link where one exists.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"

    @classmethod
    def known_keys(cls) -> set[str]:
        return set(cls.objects.values_list("key", flat=True))


def references_in_order(keys: list[str]) -> list[Reference]:
    """The references behind `keys`, in citation-number order (one query)."""
    by_key = Reference.objects.in_bulk(keys, field_name="key")
    return [by_key[key] for key in keys if key in by_key]


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def topics(self) -> "ArticleQuerySet":
        """The topic pages: every article but the home and about pages."""
        return self.exclude(slug__in=[HOME_SLUG, ABOUT_SLUG])


class Article(LoadedFromFile):
    CONTENT_FIELDS = ("title", "summary", "order", "status", "last_reviewed", "next_review_due", "body")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=160, help_text="One sentence; used as the meta description.")
    body = MarkdownxField(help_text="Markdown. Cite references with [@key]; link pages with /slug/.")
    body_html = models.TextField(editable=False, help_text="Sanitized HTML rendered from body on save.")
    reference_keys = models.JSONField(default=list, editable=False)
    order = models.PositiveSmallIntegerField(default=100, help_text="Position in the navigation.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    last_reviewed = models.DateField(help_text="Date of the last whole-page review.")
    next_review_due = models.DateField()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_review_due__gt=models.F("last_reviewed")),
                name="article_next_review_after_last",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body = normalize_source(self.body)
        rendered = render_body(self.body, Reference.known_keys())
        self.body_html = rendered.html
        self.reference_keys = list(rendered.reference_keys)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.slug == HOME_SLUG:
            return reverse("articles:home")
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def references(self) -> list[Reference]:
        return references_in_order(self.reference_keys)

    @property
    def review_overdue(self) -> bool:
        return self.next_review_due < date.today()


class Disclaimer(LoadedFromFile):
    """The medical disclaimer shown on every page.

    One record. Without it, pages fall back to the built-in text in
    templates/includes/disclaimer_default.html.
    """

    CONTENT_FIELDS = ("title", "body")

    slug = models.SlugField(max_length=40, unique=True, default="disclaimer", editable=False)
    title = models.CharField(max_length=120, default="Medical disclaimer")
    body = MarkdownxField()
    body_html = models.TextField(editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body = normalize_source(self.body)
        # The disclaimer cites nothing: it must read the same on every page.
        self.body_html = render_body(self.body, known_keys=()).html
        super().save(*args, **kwargs)
