"""Every page a patient can reach answers, shows the disclaimer, and reaches every topic."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, Disclaimer, Status
from faq.models import Question

pytestmark = pytest.mark.django_db

TOPIC_SLUGS = [
    "what-is-ivmt",
    "how-it-is-given",
    "does-it-work",
    "side-effects",
    "who-should-not-have-it",
    "cost-and-insurance",
    "how-to-get-it",
]
PAGES = ["/", *[f"/{slug}/" for slug in TOPIC_SLUGS], "/faq/", "/about/"]


def disclaimer_section(html: str) -> str:
    start = html.index('id="disclaimer"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("path", PAGES)
def test_page_answers_with_main_content_and_disclaimer(client: Client, loaded_site: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<main") == 1
    assert "not medical advice" in disclaimer_section(html).lower()


@pytest.mark.parametrize("path", PAGES)
def test_navigation_reaches_every_topic_from_every_page(client: Client, loaded_site: None, path: str) -> None:
    html = client.get(path).content.decode()
    nav = html[html.index('<nav id="site-nav"') : html.index("</nav>")]
    for target in [*[f"/{slug}/" for slug in TOPIC_SLUGS], "/faq/", "/about/"]:
        assert f'href="{target}"' in nav


def test_every_topic_page_lists_its_references(client: Client, loaded_site: None) -> None:
    for slug in TOPIC_SLUGS:
        html = client.get(f"/{slug}/").content.decode()
        assert 'id="references"' in html, slug
        assert 'class="citation" href="#ref-' in html, slug


def test_faq_answers_are_grouped_and_linkable_by_anchor(client: Client, loaded_site: None) -> None:
    html = client.get(reverse("faq:index")).content.decode()
    questions = list(Question.objects.published())
    assert len(questions) >= 12
    for question in questions:
        assert f'id="{question.slug}"' in html
    assert html.count('<section aria-labelledby="') >= 2


def test_not_found_page_shows_the_disclaimer(client: Client, loaded_site: None) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert Disclaimer.objects.get().body_html in disclaimer_section(html)


def test_server_error_page_shows_the_built_in_disclaimer(loaded_site: None, settings) -> None:
    settings.ROOT_URLCONF = "tests.urls_failing"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "If you feel very unwell, do not wait for this site." in html
    assert "not medical advice" in disclaimer_section(html)
    assert "RuntimeError" not in html and "Traceback" not in html
    assert response["Cache-Control"] == "no-store"


def test_an_unreachable_database_gets_a_503_page_with_the_disclaimer(loaded_site: None, settings) -> None:
    settings.ROOT_URLCONF = "tests.urls_failing"
    response = Client(raise_request_exception=False).get("/database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "This page is not available right now" in html
    assert "If you feel very unwell, do not wait for this site." in html
    assert "not medical advice" in disclaimer_section(html)
    assert "5432" not in html and "OperationalError" not in html


def test_pages_fall_back_to_the_built_in_disclaimer_when_the_database_has_none(
    client: Client, loaded_site: None
) -> None:
    Disclaimer.objects.all().delete()
    for path in ["/", "/faq/", "/side-effects/", "/no-such-page/"]:
        html = client.get(path).content.decode()
        assert "It is not medical advice" in disclaimer_section(html), path


def test_the_disclaimer_edited_in_the_admin_is_shown_on_every_page(client: Client, loaded_site: None) -> None:
    disclaimer = Disclaimer.objects.get()
    disclaimer.body = "Edited disclaimer: general information only."
    disclaimer.save()
    for path in PAGES:
        assert "Edited disclaimer: general information only." in client.get(path).content.decode()


def test_drafts_are_not_public(client: Client, loaded_site: None) -> None:
    Article.objects.filter(slug="side-effects").update(status=Status.DRAFT)
    Question.objects.filter(slug="is-ivmt-proven").update(status=Status.DRAFT)
    assert client.get("/side-effects/").status_code == 404
    home = client.get("/").content.decode()
    assert 'href="/side-effects/"' not in home[home.index('<nav id="site-nav"') : home.index("</nav>")]
    assert 'id="is-ivmt-proven"' not in client.get("/faq/").content.decode()


def test_home_slug_redirects_to_the_home_page(client: Client, loaded_site: None) -> None:
    response = client.get("/home/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/"


def test_meta_description_is_the_page_summary(client: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<meta name="description" content="{escape(article.summary)}">' in html


def test_pages_render_stored_html_without_markdown_work(
    client: Client, loaded_site: None, monkeypatch
) -> None:
    def fail(*args: object, **kwargs: object) -> str:
        raise AssertionError("a page view rendered Markdown")

    monkeypatch.setattr("articles.rendering.renderer.render_markdown", fail)
    monkeypatch.setattr("articles.rendering.bodies.render_markdown", fail)
    for path in PAGES:
        assert client.get(path).status_code == 200
