"""Every response carries the security headers: on public pages, the 404 page and the admin. Public pages have
no inline script or style, so the Content-Security-Policy needs no 'unsafe-inline'."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from articles.models import Article

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
EXTRA_PAGES = ["/faq/", "/glossary/", "/search/?q=magnesium", "/search/?q=zzzzqqq"]


def assert_security_headers(response) -> None:
    assert response["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "browsing-topics"):
        assert f"{feature}=()" in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def public_pages() -> list[str]:
    return [article.get_absolute_url() for article in Article.objects.published()] + EXTRA_PAGES


def test_every_public_page_sends_every_header(client: Client, loaded_site: None) -> None:
    for path in public_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_the_404_page_sends_every_header(client: Client, loaded_site: None) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_hsts_is_sent_over_https_in_production(client: Client, loaded_site: None, settings) -> None:
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert_security_headers(response)


def test_the_admin_sends_every_header(client: Client, loaded_site: None) -> None:
    response = client.get(f"/{settings.ADMIN_PATH}login/")
    assert response.status_code == 200
    assert_security_headers(response)

    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "a-long-test-password"))
    article = Article.objects.get(slug="how-to-get-it")
    response = client.get(f"/{settings.ADMIN_PATH}articles/article/{article.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "markdownx/js/markdownx" in html and 'class="markdownx"' in html  # the editor's widget is there
    assert_security_headers(response)
    # Nothing in the admin change form needs 'unsafe-inline': every script has a src, no style attribute.
    assert not [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
    assert 'style="' not in html


def test_public_pages_have_no_inline_script_or_style(client: Client, loaded_site: None) -> None:
    for path in [*public_pages(), "/no-such-page/"]:
        html = client.get(path).content.decode()
        assert not re.search(r"\sstyle\s*=", html), path
        assert "<style" not in html, path
        for tag in re.findall(r"<script\b[^>]*>", html):
            # The only script element is schema.org data, which a browser does not run.
            assert tag == '<script type="application/ld+json">', (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path  # no inline event handlers either
