"""Review status is shown honestly: a reviewer only where a real clinical review is recorded."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from articles.models import Article, ClinicalReview, GlossaryTerm
from faq.models import Question

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


@pytest.mark.parametrize(("path", "model"), [("/faq/", Question), ("/glossary/", GlossaryTerm)])
def test_the_faq_and_glossary_show_their_oldest_review(
    client: Client, loaded_site: None, path: str, model: type
) -> None:
    oldest = model.objects.order_by("pk").first()
    model.objects.filter(pk=oldest.pk).update(
        last_reviewed=date(2026, 1, 2), next_review_due=date(2026, 12, 3)
    )
    html = client.get(path).content.decode()
    assert 'Page last reviewed: <time datetime="2026-01-02">2 January 2026</time>' in html
    assert 'Next review due: <time datetime="2026-12-03">3 December 2026</time>' in html
    assert NOTICE in html
