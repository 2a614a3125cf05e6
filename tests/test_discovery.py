"""sitemap.xml, robots.txt, canonical links, meta descriptions, Open Graph and schema.org data."""

import json
import re
from datetime import date

import pytest
from django.test import Client

from articles.models import Article, ClinicalReview, Status

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_the_sitemap_lists_published_pages_only(client: Client, loaded_site: None) -> None:
    Article.objects.filter(slug="side-effects").update(status=Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    for article in Article.objects.published():
        assert f"<loc>http://testserver{article.get_absolute_url()}</loc>" in xml
    assert "/side-effects/" not in xml
    assert "<loc>http://testserver/faq/</loc>" in xml and "<loc>http://testserver/glossary/</loc>" in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_previews_out(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /preview/" in text
    assert "admin" not in text


def test_every_page_has_a_canonical_link_description_and_open_graph(
    client: Client, loaded_site: None
) -> None:
    for article in Article.objects.published():
        path = article.get_absolute_url()
        html = client.get(path).content.decode()
        assert f'<link rel="canonical" href="http://testserver{path}">' in html
        assert html.count('<meta name="description"') == 1
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert f'<meta property="{prop}"' in html, (path, prop)


def test_medical_web_page_data_names_no_reviewer_without_a_review(client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    data = json_ld(client.get("/side-effects/").content.decode())
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == article.last_reviewed.isoformat()
    assert data["medicalAudience"]["audienceType"] == "Patient"
    assert "reviewedBy" not in data


def test_medical_web_page_data_names_a_recorded_reviewer(client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    ClinicalReview.objects.create(
        article=article,
        reviewer_name="R </script> Name",
        reviewer_role="Role",
        reviewed_on=date(2026, 11, 26),
    )
    html = client.get("/side-effects/").content.decode()
    assert "</script> Name" not in html  # escaped inside the data block
    assert json_ld(html)["reviewedBy"]["name"] == "R </script> Name"
