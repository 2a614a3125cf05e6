"""Review status is shown honestly: a reviewer only where a real clinical review is recorded."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from articles.models import Article, ClinicalReview

pytestmark = pytest.mark.django_db

NOTICE = "This page has not yet been reviewed by a clinician."


def test_with_no_review_recorded_every_page_says_so(client: Client, loaded_site: None) -> None:
    assert not ClinicalReview.objects.exists()  # the content and fixtures record no reviewer
    for article in Article.objects.published():
        html = client.get(article.get_absolute_url()).content.decode()
        assert NOTICE in html, article.slug
        assert "Clinically reviewed by" not in html, article.slug


def test_a_recorded_review_shows_the_reviewer_and_replaces_the_notice(
    client: Client, loaded_site: None
) -> None:
    article = Article.objects.get(slug="side-effects")
    ClinicalReview.objects.create(
        article=article,
        reviewer_name="Test Reviewer",
        reviewer_role="Test role",
        reviewed_on=date(2026, 11, 26),
    )
    html = client.get("/side-effects/").content.decode()
    assert "Clinically reviewed by Test Reviewer, Test role, on" in html
    assert NOTICE not in html
    assert NOTICE in client.get("/does-it-work/").content.decode()


def test_no_content_file_names_a_reviewer() -> None:
    for path in Path(settings.CONTENT_DIR).rglob("*"):
        if path.is_file():
            text = path.read_text().lower()
            assert "reviewed by dr" not in text and "reviewer:" not in text, path


def test_review_dates_and_change_log_are_shown(client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="cost-and-insurance")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<time datetime="{article.last_reviewed:%Y-%m-%d}">' in html
    assert f'<time datetime="{article.next_review_due:%Y-%m-%d}">' in html
    assert article.prices_checked is not None
    assert f'Prices last checked: <time datetime="{article.prices_checked:%Y-%m-%d}">' in html
    for change in article.changes:
        assert escape(change["summary"]) in html
