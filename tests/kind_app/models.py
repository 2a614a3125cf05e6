"""A printed leaflet: a title and a Markdown body, kept in content/leaflets/<slug>.md."""

from typing import Any

from django.db import models

from articles.models import LoadedFromFile, RenderedBody, Status
from articles.rendering.renderer import normalize_source
from articles.search_text import SearchableQuerySet, page_search_text, search_vector_field


class Leaflet(LoadedFromFile, RenderedBody):
    CONTENT_FIELDS = ("title", "status", "body")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    search_text = models.TextField(default="", editable=False)
    search_vector = search_vector_field(LoadedFromFile.TITLE_FIELD)

    objects = SearchableQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    @classmethod
    def url_for(cls, key: str) -> str:
        return f"/leaflets/{key}/"

    def render_stored_fields(self) -> None:
        self.body = normalize_source(self.body)
        self.body_html = self.render_source(self.body)
        self.search_text = page_search_text("", self.body_html)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.render_stored_fields()
        super().save(*args, **kwargs)
