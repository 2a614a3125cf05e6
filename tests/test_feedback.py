"""'Was this page helpful?': yes/no per page, an optional comment on the same row, and nothing unsafe."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from articles.editorial.roles import EDITOR
from articles.feedback import views as feedback_views
from articles.models import ABOUT_SLUG, Article, Feedback, Status

pytestmark = pytest.mark.django_db

FEEDBACK_URL = "/feedback/"
COMMENT_URL = "/feedback/comment/"
HOSTILE = '<script>alert("x")</script><b onmouseover="alert(1)">bold</b> & <img src=x onerror=alert(2)>'
QUESTION = "Was this page helpful?"
HINT = "Do not include personal information, such as your name, email or details about your health."


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # The rate limit counts in the cache; each test starts with no posts counted.
    cache.clear()


def token_from(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "no comment form on the page"
    return match.group(1)


def answer(client: Client, slug: str = "side-effects", helpful: str = "yes", **extra: str) -> HttpResponse:
    return client.post(FEEDBACK_URL, {"page": slug, "helpful": helpful}, **extra)


def disclaimer_shown(html: str) -> bool:
    return 'id="disclaimer"' in html and "not medical advice" in html.lower()


def test_yes_and_no_are_stored_for_their_page(client: Client, loaded_site: None) -> None:
    yes = answer(client, "side-effects", "yes")
    no = answer(client, "does-it-work", "no")
    assert yes.status_code == no.status_code == 200
    rows = {(f.article.slug, f.helpful, f.comment) for f in Feedback.objects.all()}
    assert rows == {("side-effects", True, ""), ("does-it-work", False, "")}
    html = yes.content.decode()
    assert "Thank you for your feedback" in html
    assert HINT in html
    assert 'maxlength="1000"' in html
    assert disclaimer_shown(html)


def test_the_comment_is_added_to_the_same_row(client: Client, loaded_site: None) -> None:
    token = token_from(answer(client, helpful="no").content.decode())
    response = client.post(COMMENT_URL, {"token": token, "comment": "  Too long.\r\nHard to read.  "})
    assert response.status_code == 200
    assert "Thank you for your feedback" in response.content.decode()
    row = Feedback.objects.get()
    assert (row.article.slug, row.helpful, row.comment) == ("side-effects", False, "Too long.\nHard to read.")


def test_a_token_adds_one_comment_only(client: Client, loaded_site: None) -> None:
    token = token_from(answer(client).content.decode())
    assert client.post(COMMENT_URL, {"token": token, "comment": "First."}).status_code == 200
    assert client.post(COMMENT_URL, {"token": token, "comment": "Second."}).status_code == 400
    assert Feedback.objects.get().comment == "First."


def test_the_token_is_signed_not_a_row_id(client: Client, loaded_site: None) -> None:
    answer(client)
    row = Feedback.objects.get()
    for token in [str(row.pk), "", "not-a-token", f"{row.pk}:forged:signature"]:
        response = client.post(COMMENT_URL, {"token": token, "comment": "Hello."})
        assert response.status_code == 400, token
        assert disclaimer_shown(response.content.decode())
    row.refresh_from_db()
    assert row.comment == ""


def test_an_expired_token_is_refused(client: Client, loaded_site: None, monkeypatch) -> None:
    token = token_from(answer(client).content.decode())
    monkeypatch.setattr(feedback_views, "TOKEN_MAX_AGE_SECONDS", -1)
    response = client.post(COMMENT_URL, {"token": token, "comment": "Late."})
    assert response.status_code == 400
    assert "open for too long" in response.content.decode()
    assert Feedback.objects.get().comment == ""


def test_the_yes_no_form_needs_no_csrf_token_but_the_comment_form_does(loaded_site: None) -> None:
    client = Client(enforce_csrf_checks=True)
    # The yes/no form is on cached public pages, so it carries no per-reader token (and sets no cookie).
    page = client.get("/side-effects/")
    assert "csrfmiddlewaretoken" not in page.content.decode() and not page.cookies
    response = answer(client)
    assert response.status_code == 200
    # The comment form comes on the uncached thank-you page, with a token; a post without it is refused.
    thanks = response.content.decode()
    token = token_from(thanks)
    assert client.post(COMMENT_URL, {"token": token, "comment": "No CSRF token."}).status_code == 403
    assert Feedback.objects.get().comment == ""
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', thanks).group(1)
    saved = client.post(
        COMMENT_URL, {"token": token, "comment": "With the token.", "csrfmiddlewaretoken": csrf}
    )
    assert saved.status_code == 200
    assert Feedback.objects.get().comment == "With the token."


@pytest.mark.parametrize(
    ("comment", "status"),
    [
        ("x" * 1000, 200),
        ("x" * 1001, 400),
        # A browser's maxlength counts a line break as one character; it is sent as two (CRLF).
        ("x" * 998 + "\r\ny", 200),
        ("", 400),
        ("   \r\n ", 400),
        ("nul \x00 character", 400),
    ],
)
def test_comment_length_and_content_limits(
    client: Client, loaded_site: None, comment: str, status: int
) -> None:
    token = token_from(answer(client).content.decode())
    assert client.post(COMMENT_URL, {"token": token, "comment": comment}).status_code == status
    assert Feedback.objects.get().comment == ("" if status == 400 else comment.replace("\r\n", "\n"))


@pytest.mark.parametrize(
    "data",
    [{}, {"page": "side-effects"}, {"helpful": "yes"}, {"page": "side-effects", "helpful": "maybe"}],
)
def test_missing_or_bad_fields_give_a_400_page(client: Client, loaded_site: None, data: dict) -> None:
    response = client.post(FEEDBACK_URL, data)
    assert response.status_code == 400
    assert "did not save" in response.content.decode()
    assert disclaimer_shown(response.content.decode())
    assert not Feedback.objects.exists()


def test_a_comment_without_a_token_gives_a_400_page(client: Client, loaded_site: None) -> None:
    assert client.post(COMMENT_URL, {"comment": "Hello."}).status_code == 400


def test_a_hostile_comment_is_stored_as_text_and_never_rendered_as_html(
    client: Client, loaded_site: None
) -> None:
    token = token_from(answer(client).content.decode())
    thanks = client.post(COMMENT_URL, {"token": token, "comment": HOSTILE}).content.decode()
    assert Feedback.objects.get().comment == HOSTILE
    # The thank-you page does not echo the comment at all, escaped or not.
    assert "alert(" not in thanks and "bold" not in thanks
    for slug in Article.objects.published().values_list("slug", flat=True):
        path = "/" if slug == "home" else f"/{slug}/"
        assert "alert(" not in client.get(path).content.decode(), path

    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "a-long-test-password"))
    changelist = client.get(reverse("admin:articles_feedback_changelist")).content.decode()
    dashboard = client.get(reverse("admin:index")).content.decode()
    for html in (changelist, dashboard):
        assert "<script>alert" not in html
        assert "<b onmouseover" not in html
        assert "<img src=x" not in html
        assert escape('<script>alert("x")</script>') in html


def test_eleven_posts_in_an_hour_get_a_429_and_store_nothing_more(client: Client, loaded_site: None) -> None:
    responses = [answer(client) for _ in range(10)]
    assert [r.status_code for r in responses] == [200] * 10
    over = answer(client)
    assert over.status_code == 429
    assert "try again later" in over.content.decode()
    assert disclaimer_shown(over.content.decode())
    comment = client.post(COMMENT_URL, {"token": token_from(responses[0].content.decode()), "comment": "Hi."})
    assert comment.status_code == 429
    assert Feedback.objects.count() == 10
    assert not Feedback.objects.exclude(comment="").exists()
    # Another address has its own count.
    assert answer(client, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_rate_limit_key_is_a_hash_of_the_address(rf) -> None:
    request = rf.post(FEEDBACK_URL, REMOTE_ADDR="192.0.2.7")
    key = feedback_views.client_rate_key(request)
    assert "192.0.2.7" not in key
    assert key == feedback_views.client_rate_key(rf.post(FEEDBACK_URL, REMOTE_ADDR="192.0.2.7"))
    assert key != feedback_views.client_rate_key(rf.post(FEEDBACK_URL, REMOTE_ADDR="192.0.2.8"))


@pytest.mark.parametrize("url", [FEEDBACK_URL, COMMENT_URL])
def test_get_is_not_allowed(client: Client, loaded_site: None, url: str) -> None:
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("slug", ["no-such-page", "home", ABOUT_SLUG, "draft-page"])
def test_feedback_on_a_page_that_is_not_a_published_topic_is_404(
    client: Client, loaded_site: None, slug: str
) -> None:
    Article.objects.filter(slug="side-effects").update(slug="draft-page", status=Status.DRAFT)
    assert answer(client, slug).status_code == 404
    assert not Feedback.objects.exists()


def test_the_form_is_on_every_published_topic_page_and_not_on_home_or_about(
    client: Client, loaded_site: None
) -> None:
    topics = list(Article.objects.published().topics())
    assert len(topics) >= 7
    for article in topics:
        html = client.get(article.get_absolute_url()).content.decode()
        assert QUESTION in html, article.slug
        assert f'<input type="hidden" name="page" value="{article.slug}">' in html
        assert 'name="helpful" value="yes"' in html and 'name="helpful" value="no"' in html
    for path in ["/", f"/{ABOUT_SLUG}/"]:
        # About this site explains the question in its text; the form itself is not there.
        assert 'class="feedback"' not in client.get(path).content.decode(), path


def test_the_dashboard_shows_recent_feedback(client: Client, loaded_site: None) -> None:
    token = token_from(answer(client, "side-effects", "no").content.decode())
    client.post(COMMENT_URL, {"token": token, "comment": "A" * 100})
    answer(client, "does-it-work", "yes")
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "a-long-test-password"))
    html = client.get(reverse("admin:index")).content.decode()
    section = html[html.index("Recent reader feedback") :]
    assert "does-it-work" not in section  # titles, not slugs
    assert Article.objects.get(slug="side-effects").title in section
    assert Article.objects.get(slug="does-it-work").title in section
    assert f'"{"A" * 79}…"' in section  # truncated to 80 characters
    assert "A" * 81 not in section
    assert ": No" in section and ": Yes" in section
    assert "The site does not collect reader feedback yet." not in section


def test_the_dashboard_says_when_there_is_no_feedback(client: Client, loaded_site: None) -> None:
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "a-long-test-password"))
    assert (
        "The site does not collect reader feedback yet."
        in client.get(reverse("admin:index")).content.decode()
    )


def test_editors_can_view_and_delete_feedback_but_not_add_or_change_it(
    client: Client, loaded_site: None
) -> None:
    answer(client)
    row = Feedback.objects.get()
    user = User.objects.create_user("ed", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)
    assert client.get(reverse("admin:articles_feedback_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_feedback_add")).status_code == 403
    change_url = reverse("admin:articles_feedback_change", args=[row.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="comment"' not in page.content.decode()  # shown read-only, not as a field
    client.post(change_url, {"article": row.article_id, "helpful": "off", "comment": "Edited."})
    row.refresh_from_db()
    assert row.helpful is True and row.comment == ""
    delete_url = reverse("admin:articles_feedback_delete", args=[row.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Feedback.objects.exists()
