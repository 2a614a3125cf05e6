"""Frequently asked questions, in groups. Each answer is Markdown with stored, sanitized HTML."""

from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from markdownx.models import MarkdownxField

from articles.models import (
    BODY_HELP,
    ORDER_VALIDATORS,
    CreatedInAdmin,
    LoadedFromFile,
    OnSite,
    ProposedChange,
    RenderedBody,
    ReviewedWhenPublished,
    ReviewStep,
    Status,
    validate_content_slug,
)
from articles.rendering.renderer import normalize_source
from articles.search_text import SearchableQuerySet, answer_search_text, search_vector_field


class Category(LoadedFromFile):
    CONTENT_FIELDS = ("title", "order")

    slug = models.SlugField(max_length=80, unique=True, validators=[validate_content_slug])
    title = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=100, validators=ORDER_VALIDATORS)

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.title


class QuestionQuerySet(SearchableQuerySet["Question"]):
    def published(self) -> "QuestionQuerySet":
        return self.filter(status=Status.PUBLISHED)


class Question(OnSite, LoadedFromFile, RenderedBody, ReviewedWhenPublished, CreatedInAdmin):
    SOURCE_FIELD = "answer"
    HTML_FIELD = "answer_html"
    TITLE_FIELD = "question"
    CONTENT_FIELDS = ("question", "category", "order", "status", "last_reviewed", "next_review_due", "answer")

    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_content_slug],
        help_text="The answer's anchor: /faq/#slug",
    )
    question = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions")
    answer = MarkdownxField(help_text=BODY_HELP)
    answer_html = models.TextField(editable=False)
    search_text = models.TextField(
        default="", editable=False, help_text="The plain text site search indexes, derived on save."
    )
    search_vector = search_vector_field(TITLE_FIELD)
    order = models.PositiveSmallIntegerField(default=100, validators=ORDER_VALIDATORS)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    review_steps = GenericRelation(ReviewStep)

    objects = QuestionQuerySet.as_manager()

    class Meta(ReviewedWhenPublished.Meta):
        ordering = ["category__order", "order", "question"]
        permissions = [("publish_question", "Can publish FAQ answers")]

    def __str__(self) -> str:
        return self.question

    @classmethod
    def anchor_prefix_for(cls, key: str) -> str:
        # Every answer shares the FAQ page, so its reference anchors carry its own slug.
        return f"ref-{key}-"

    @property
    def reference_anchor_prefix(self) -> str:
        return self.anchor_prefix_for(self.slug)

    def content_values(self) -> dict[str, Any]:
        values = super().content_values()
        values["category"] = self.category.slug if self.category_id else None
        return values

    def apply_content(self, values: dict[str, Any]) -> None:
        values = dict(values)
        self.category = Category.objects.get(slug=values.pop("category"))
        super().apply_content(values)

    def render_stored_fields(self) -> None:
        """Fill every field derived from the answer: HTML, citations, reading level, search text.

        save() calls this. A bulk write (bulk_create, bulk_update: they skip save()) must call it on each
        object first, and bulk_update must list the derived fields too.
        """
        self.answer = normalize_source(self.answer)
        self.answer_html = self.render_source(self.answer, anchor_prefix=self.reference_anchor_prefix)
        self.search_text = answer_search_text(self.answer_html)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.render_stored_fields()
        super().save(*args, **kwargs)

    @classmethod
    def url_for(cls, key: str) -> str:
        return f"{reverse('faq:index')}#{key}"


class AnswerRevision(ProposedChange):
    LIVE_FIELD = "live_question"
    REVISED_FIELDS = ("question", "answer")

    live_question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="revisions", verbose_name="answer"
    )
    question = models.CharField(max_length=200)
    answer = MarkdownxField(help_text=BODY_HELP)

    class Meta(ProposedChange.Meta):
        verbose_name = "proposed change to a live answer"
        verbose_name_plural = "proposed changes to live answers"
