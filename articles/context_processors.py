"""What every page's frame needs: the navigation and the disclaimer."""

import logging

from django.db import DatabaseError
from django.http import HttpRequest

from articles.models import ABOUT_SLUG, Article, Disclaimer
from articles.theme import theme_of
from articles.web.degraded import mark_degraded

logger = logging.getLogger(__name__)


def site_frame(request: HttpRequest) -> dict[str, object]:
    theme = theme_of(request)
    try:
        articles = list(Article.objects.published().only("slug", "title", "order"))
        disclaimer = Disclaimer.objects.first()
    except DatabaseError:
        # An error page must still render (with the built-in disclaimer) when the database is the problem.
        logger.warning("Database unavailable while building the page frame", exc_info=True)
        mark_degraded(request)  # a page without its navigation must not be cached in place of the real one
        return {"nav_topics": [], "nav_about": None, "disclaimer": None, "theme": theme}
    return {
        "theme": theme,
        "nav_topics": [article for article in articles if article.is_topic],
        "nav_about": next((article for article in articles if article.slug == ABOUT_SLUG), None),
        "disclaimer": disclaimer,
    }
