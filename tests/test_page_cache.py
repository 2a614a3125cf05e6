"""The public page cache: hits skip all work, every content change shows at once, reader feedback does not
empty it, conditional requests get 304, staff never share a cached page, and a dead cache is only slower."""

import logging
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.models import Article, GlossaryTerm, Reference
from faq.models import Category, Question
from ivmt_site.page_cache import VERSION_KEY, CachedPage, RecentPages, recent_pages
from tests import servers
from tests.conftest import EXAMPLE_URL, REVIEWED, article_admin_form, content_title

SIDE_EFFECTS = content_title("side-effects")

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/side-effects/", "/faq/", "/glossary/", "/search/?q=magnesium"]


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "a-long-test-password"))
    return client


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_cached_page_is_served_without_a_query(client: Client, loaded_site: None, path: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        first = client.get(path)
    assert first.status_code == 200
    assert len(queries) > 0
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    assert len(queries) == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_the_first_answer_runs_the_view_and_the_second_does_not(
    client: Client, loaded_site: None, django_assert_num_queries: Callable
) -> None:
    assert queries_for(client, "/side-effects/") > 0
    with django_assert_num_queries(0):
        client.get("/side-effects/")


def test_public_pages_carry_cdn_friendly_headers(client: Client, loaded_site: None) -> None:
    for response in (client.get("/side-effects/"), client.get("/side-effects/")):  # a miss, then a hit
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"public", "max-age=0", "s-maxage=60"}
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")
        assert "Cookie" in response["Vary"]  # the theme cookie changes the markup
        assert not response.cookies
        # The headers added outside the cache are on a hit too.
        assert "Content-Security-Policy" in response
        assert response["X-Frame-Options"] == "DENY"


def test_if_none_match_and_if_modified_since_get_304(client: Client, loaded_site: None) -> None:
    page = client.get("/side-effects/")
    not_modified = client.get("/side-effects/", headers={"If-None-Match": page["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == page["ETag"]
    assert (
        client.get("/side-effects/", headers={"If-Modified-Since": page["Last-Modified"]}).status_code == 304
    )
    assert client.get("/side-effects/", headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_304_also_on_the_first_request_to_a_server(client: Client, loaded_site: None) -> None:
    etag = client.get("/faq/")["ETag"]
    cache.clear()  # another server, or after a restart: the page is rendered again, to the same bytes
    assert client.get("/faq/", headers={"If-None-Match": etag}).status_code == 304


def test_a_new_version_set_by_another_server_is_seen_at_once(client: Client, loaded_site: None) -> None:
    client.get("/side-effects/")  # now in this process's recent pages and in the shared cache
    cache.set(VERSION_KEY, 1)  # what content_changed() on another server does
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/side-effects/").status_code == 200
    assert len(queries) > 0  # rendered again, not served from this process's copy


def test_a_version_value_this_code_did_not_write_is_replaced(client: Client, loaded_site: None) -> None:
    cache.set(VERSION_KEY, "1764000000000000000")  # as an earlier release stored it
    assert client.get("/side-effects/").status_code == 200
    assert isinstance(cache.get(VERSION_KEY), int)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/side-effects/").status_code == 200
    assert len(queries) == 0


def test_pages_kept_in_process_memory_expire_and_the_oldest_go_first(settings) -> None:
    pages = RecentPages(size=2)
    for key in ("a", "b", "c"):
        pages.put(key, CachedPage(key.encode(), {}, 0))
    assert pages.get("a") is None  # past the size, the oldest went
    assert pages.get("c").content == b"c"
    settings.PAGE_CACHE_TIMEOUT = 0  # every entry is now older than the cache's lifetime
    assert pages.get("c") is None


def test_each_theme_is_cached_on_its_own(loaded_site: None) -> None:
    auto = Client().get("/side-effects/").content.decode()
    dark_client = Client()
    dark_client.cookies["theme"] = "dark"
    dark = dark_client.get("/side-effects/").content.decode()
    assert 'data-theme="auto"' in auto
    assert 'data-theme="dark"' in dark
    assert 'data-theme="auto"' in Client().get("/side-effects/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert 'data-theme="dark"' in dark_client.get("/side-effects/").content.decode()
    assert len(queries) == 0


def test_an_admin_save_shows_on_the_very_next_request(
    client: Client, staff: Client, loaded_site: None
) -> None:
    article = Article.objects.get(slug="side-effects")
    assert "A brand new title" not in client.get("/side-effects/").content.decode()
    form = article_admin_form(title="A brand new title", body=article.body, summary=article.summary)
    assert staff.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302
    assert "A brand new title" in client.get("/side-effects/").content.decode()
    # Every cached page was dropped, not only the one edited: the title is in every page's navigation.
    assert "A brand new title" in client.get("/faq/").content.decode()


def test_an_edit_to_a_shared_part_drops_every_page(client: Client, staff: Client, loaded_site: None) -> None:
    for path in PUBLIC_PAGES:
        client.get(path)
    term = GlossaryTerm.objects.get(term="placebo")
    term.definition = "An edited definition of placebo."
    term.save()
    assert "An edited definition of placebo." in client.get("/glossary/").content.decode()


def test_loadcontent_shows_on_the_very_next_request(
    client: Client, site_content: Path, load: Callable[..., str]
) -> None:
    load(site_content)
    assert SIDE_EFFECTS in client.get("/side-effects/").content.decode()
    page = site_content / "articles" / "side-effects.md"
    page.write_text(page.read_text().replace(f"title: {SIDE_EFFECTS}", "title: Side effects, edited"))
    load(site_content)
    assert "Side effects, edited" in client.get("/side-effects/").content.decode()


def test_loadcontent_check_keeps_every_cached_page(
    client: Client, site_content: Path, load: Callable[..., str]
) -> None:
    """A dry run writes and rolls back: the saves it makes must not drop the cached pages of every server."""
    load(site_content)
    page = site_content / "articles" / "side-effects.md"
    page.write_text(page.read_text().replace(f"title: {SIDE_EFFECTS}", "title: Side effects, edited"))
    client.get("/side-effects/")
    version = cache.get(VERSION_KEY)
    assert "Nothing was written" in load(site_content, "--check")
    assert cache.get(VERSION_KEY) == version


def test_restoring_from_history_shows_on_the_very_next_request(
    client: Client, staff: Client, loaded_site: None
) -> None:
    article = Article.objects.get(slug="cost-and-insurance")
    original = article.title
    form = article_admin_form(title="A title to undo", body=article.body, summary=article.summary)
    assert staff.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302
    assert "A title to undo" in client.get("/cost-and-insurance/").content.decode()
    first = list(Version.objects.get_for_object(article))[-1]
    restore = article_admin_form(title=original, body=article.body, summary=article.summary)
    assert staff.post(f"/admin/articles/article/{article.pk}/history/{first.pk}/", restore).status_code == 302
    page = client.get("/cost-and-insurance/").content.decode()
    assert "A title to undo" not in page and original in page


def test_reader_feedback_does_not_empty_the_cache(client: Client, loaded_site: None) -> None:
    client.get("/side-effects/")
    assert client.post("/feedback/", {"page": "side-effects", "helpful": "yes"}).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/side-effects/")
    assert len(queries) == 0


def test_staff_get_private_pages_and_never_a_cached_one(
    client: Client, staff: Client, loaded_site: None
) -> None:
    client.get("/side-effects/")  # cached for readers
    with CaptureQueriesContext(connection) as queries:
        response = staff.get("/side-effects/")
    assert len(queries) > 0  # rendered for them, with their session
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    # and what staff saw was not stored for readers (still the readers' copy, still public)
    assert "public" in client.get("/side-effects/")["Cache-Control"]
    for path in ["/admin/", "/preview/side-effects/", "/faq/preview/"]:
        assert "private" in staff.get(path)["Cache-Control"], path


def test_uncacheable_answers_are_not_stored(client: Client, loaded_site: None) -> None:
    for path in ["/no-such-page/", "/admin/login/"]:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        assert len(queries) > 0, path
    assert "public" not in client.get("/admin/login/").get("Cache-Control", "")


def grow_content(extra: int) -> None:
    """Add `extra` published topic pages, FAQ answers, references and glossary terms."""
    template = Article.objects.get(slug="side-effects")
    category = Category.objects.first()
    for n in range(extra):
        Article.objects.create(
            slug=f"extra-{n}",
            title=f"Extra page {n}",
            summary="An extra page.",
            body=template.body,
            status="published",
            order=500 + n,
            last_reviewed=template.last_reviewed,
            next_review_due=template.next_review_due,
            changes=template.changes,
        )
        Question.objects.create(
            slug=f"extra-{n}",
            question=f"Extra question {n}?",
            category=category,
            answer="An extra answer.[@ali2009]",
            status="published",
            order=500 + n,
            **REVIEWED,
        )
        Reference.objects.create(
            key=f"extra{n}",
            authors="A N Other",
            title=f"Extra {n}",
            publisher="P",
            year=2020,
            url=EXAMPLE_URL,
        )
        GlossaryTerm.objects.create(
            slug=f"extraterm{n}", term=f"extraterm{n}", definition="An extra term.", **REVIEWED
        )


PAGES_TO_COUNT = ["/", "/side-effects/", "/faq/", "/glossary/", "/search/?q=magnesium", "/sitemap.xml"]


def test_queries_per_page_do_not_grow_with_content(
    loaded_site: None, django_assert_num_queries: Callable
) -> None:
    before = {path: queries_for(Client(), path) for path in PAGES_TO_COUNT}
    grow_content(25)
    cache.clear()
    for path in PAGES_TO_COUNT:
        with django_assert_num_queries(before[path]):
            assert Client().get(path).status_code == 200


def test_pages_are_served_from_the_database_when_the_cache_is_down(
    client: Client, loaded_site: None, settings, caplog: pytest.LogCaptureFixture
) -> None:
    from articles.web import cache_guard

    # A Redis nobody listens on: connections are refused at once.
    settings.CACHES = {
        "default": {"BACKEND": "ivmt_site.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    cache_guard._last_warning = -float("inf")  # this test sees the first warning, whatever came before
    with caplog.at_level(logging.WARNING, logger="articles.web.cache_guard"):
        for _ in range(2):
            response = client.get("/side-effects/")
            assert response.status_code == 200
            assert SIDE_EFFECTS in response.content.decode()
    warnings = [r for r in caplog.records if r.name == "articles.web.cache_guard"]
    assert len(warnings) == 1  # logged, and not once per request
    assert "Cache unavailable" in warnings[0].getMessage()
    # Feedback still works (its rate limit is skipped rather than the reader refused).
    assert client.post("/feedback/", {"page": "side-effects", "helpful": "yes"}).status_code == 200


def test_pages_are_cached_in_the_real_redis(client: Client, loaded_site: None, settings) -> None:
    prefix = f"test-{secrets.token_hex(8)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "ivmt_site.redis_cache.RedisCache",
            "LOCATION": servers.REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        client.get("/side-effects/")
        recent_pages.clear()  # as on another server: only Redis has the page
        with CaptureQueriesContext(connection) as queries:
            assert SIDE_EFFECTS in client.get("/side-effects/").content.decode()
        assert len(queries) == 0
        # One redis-py client serves every operation (Django's own backend builds one per call).
        assert cache._cache.get_client() is cache._cache.get_client()
    finally:
        # Only this test's keys (clear() would empty the whole Redis database, which others may be using).
        shared = redis.Redis.from_url(servers.REDIS)
        for key in shared.scan_iter(f"{prefix}:*"):
            shared.delete(key)


def test_head_requests_share_the_cached_page(client: Client, loaded_site: None) -> None:
    page = client.get("/faq/")
    with CaptureQueriesContext(connection) as queries:
        head = client.head("/faq/")
    assert len(queries) == 0
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == page["ETag"]


def test_only_the_search_page_keys_on_q(
    client: Client, loaded_site: None, django_assert_num_queries: Callable
) -> None:
    """`q` is the search page's parameter: on any other page a random value is the page itself, from the
    cache, and adds no entry."""
    assert client.get(f"/faq/?q={secrets.token_hex(8)}").status_code == 200
    with django_assert_num_queries(0):
        assert client.get(f"/faq/?q={secrets.token_hex(8)}").status_code == 200
    assert queries_for(client, "/search/?q=magnesium") > 0
    assert queries_for(client, "/search/?q=infusion") > 0
