"""Roles and workflow: Editors write and submit; only Clinical reviewers publish, by any admin route."""

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils.html import escape
from reversion.models import Version

from articles.editorial.roles import CLINICAL_REVIEWER, EDITOR, ROLE_PERMISSIONS
from articles.models import Article, ClinicalReview, Status
from faq.models import Question
from tests.conftest import article_admin_form

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"


@pytest.fixture
def draft(loaded_site: None) -> Article:
    article = Article.objects.get(slug="side-effects")
    article.status = Status.DRAFT
    article.save()
    return article


def test_every_listed_permission_is_held_after_the_migrations() -> None:
    for name, permissions in ROLE_PERMISSIONS.items():
        held = {
            (p.content_type.app_label, p.codename) for p in Group.objects.get(name=name).permissions.all()
        }
        assert held == set(permissions), name


def test_the_two_groups_exist_with_their_permissions() -> None:
    editor_perms = {p.codename for p in Group.objects.get(name=EDITOR).permissions.all()}
    reviewer_perms = {p.codename for p in Group.objects.get(name=CLINICAL_REVIEWER).permissions.all()}
    assert {"add_article", "change_article", "change_question"} <= editor_perms
    assert not {"publish_article", "publish_question", "add_clinicalreview"} & editor_perms
    assert {"publish_article", "publish_question", "add_clinicalreview"} <= reviewer_perms
    # What readers see at once is changed in place only by a reviewer; Editors propose changes to it.
    changed_in_place = {"change_disclaimer", "change_glossaryterm", "add_glossaryterm", "change_reference"}
    assert not changed_in_place & editor_perms and changed_in_place <= reviewer_perms
    proposals = {f"add_{kind}revision" for kind in ("disclaimer", "glossaryterm", "reference", "sharedblock")}
    assert proposals <= editor_perms
    published = {f"publish_{kind}" for kind in ("disclaimer", "glossaryterm", "reference", "sharedblock")}
    assert not published & editor_perms and published <= reviewer_perms


def test_an_editor_cannot_choose_published_in_the_form(editor: Client, draft: Article) -> None:
    page = editor.get(f"{ARTICLES}{draft.pk}/change/").content.decode()
    assert 'value="in_review"' in page and 'value="published"' not in page
    response = editor.post(
        f"{ARTICLES}{draft.pk}/change/", article_admin_form(title=draft.title, status="published")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_editor_can_submit_for_review_by_form_and_by_action(editor: Client, draft: Article) -> None:
    form = article_admin_form(title=draft.title, status="in_review")
    assert editor.post(f"{ARTICLES}{draft.pk}/change/", form).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    other = Article.objects.get(slug="does-it-work")
    other.status = Status.DRAFT
    other.save()
    editor.post(ARTICLES, {"action": "submit_for_review", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == Status.IN_REVIEW


def test_an_editor_cannot_publish_with_a_list_action(editor: Client, draft: Article) -> None:
    listing = editor.get(ARTICLES).content.decode()
    assert 'value="publish"' not in listing
    editor.post(ARTICLES, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_editor_cannot_change_or_delete_a_published_page(editor: Client, loaded_site: None) -> None:
    published = Article.objects.get(slug="does-it-work")
    form = article_admin_form(title="Changed by an editor", status="in_review")
    assert editor.post(f"{ARTICLES}{published.pk}/change/", form).status_code == 403
    assert editor.post(f"{ARTICLES}{published.pk}/delete/", {"post": "yes"}).status_code == 403
    published.refresh_from_db()
    assert published.title != "Changed by an editor" and published.status == Status.PUBLISHED


def test_an_editor_cannot_publish_by_reverting_to_a_published_version(
    editor: Client, reviewer: Client, loaded_site: None
) -> None:
    article = Article.objects.get(slug="does-it-work")
    reviewer.post(
        f"{ARTICLES}{article.pk}/change/", article_admin_form(title=article.title, status="published")
    )
    reviewer.post(f"{ARTICLES}{article.pk}/change/", article_admin_form(title=article.title, status="draft"))
    published_version = next(
        v for v in Version.objects.get_for_object(article) if v.field_dict["status"] == Status.PUBLISHED
    )
    url = f"{ARTICLES}{article.pk}/history/{published_version.pk}/"
    editor.post(url, article_admin_form(title=article.title, status="published"))
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_an_editor_cannot_publish_a_faq_answer(editor: Client, loaded_site: None) -> None:
    question = Question.objects.get(slug="is-ivmt-proven")
    question.status = Status.DRAFT
    question.save()
    editor.post("/admin/faq/question/", {"action": "publish", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert question.status == Status.DRAFT


def test_a_reviewer_publishes_and_records_a_review(reviewer: Client, draft: Article) -> None:
    reviewer.post(ARTICLES, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT  # only what was submitted for review is published
    reviewer.post(ARTICLES, {"action": "submit_for_review", "_selected_action": [draft.pk]})
    reviewer.post(ARTICLES, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    form = article_admin_form(
        title=draft.title,
        **{
            "clinical_reviews-TOTAL_FORMS": "1",
            "clinical_reviews-0-reviewer_name": "A Reviewer",
            "clinical_reviews-0-reviewer_role": "Neurologist",
            "clinical_reviews-0-reviewed_on": "2026-11-26",
        },
    )
    assert reviewer.post(f"{ARTICLES}{draft.pk}/change/", form).status_code == 302
    assert ClinicalReview.objects.get(article=draft).reviewer_name == "A Reviewer"


def test_drafts_and_pages_in_review_are_not_public(client: Client, loaded_site: None) -> None:
    Article.objects.filter(slug="side-effects").update(status=Status.DRAFT)
    Article.objects.filter(slug="does-it-work").update(status=Status.IN_REVIEW)
    Question.objects.filter(slug="is-ivmt-proven").update(status=Status.IN_REVIEW)
    assert client.get("/side-effects/").status_code == 404
    assert client.get("/does-it-work/").status_code == 404
    assert 'id="is-ivmt-proven"' not in client.get("/faq/").content.decode()


def test_staff_preview_any_page_with_a_banner(editor: Client, draft: Article) -> None:
    html = editor.get(f"/preview/{draft.slug}/").content.decode()
    assert "preview-banner" in html and draft.body_html in html and 'id="disclaimer"' in html
    public = Client().get("/does-it-work/").content.decode()
    assert "preview-banner" not in public
    Question.objects.filter(slug="is-ivmt-proven").update(status=Status.DRAFT)
    assert 'id="is-ivmt-proven"' in editor.get("/faq/preview/").content.decode()


def test_visitors_cannot_preview(client: Client, draft: Article) -> None:
    response = client.get(f"/preview/{draft.slug}/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
    assert client.get("/faq/preview/").status_code == 302


def test_the_dashboard_lists_reviews_due_and_work_in_review(editor: Client, loaded_site: None) -> None:
    today = date.today()
    Article.objects.filter(slug="side-effects").update(
        last_reviewed=today - timedelta(days=400), next_review_due=today - timedelta(days=1)
    )
    Article.objects.filter(slug="does-it-work").update(next_review_due=today + timedelta(days=10))
    Article.objects.filter(slug="how-to-get-it").update(status=Status.IN_REVIEW)
    html = editor.get("/admin/").content.decode()
    dashboard = html[html.index('id="review-dashboard"') :]
    overdue = dashboard[: dashboard.index("Review due within 30 days")]

    def title(slug: str) -> str:
        return escape(Article.objects.get(slug=slug).title)

    assert title("side-effects") in overdue
    assert title("does-it-work") in dashboard[dashboard.index("Review due within 30 days") :]
    assert title("how-to-get-it") in dashboard[dashboard.index("Waiting for a clinical reviewer") :]
    assert "does not collect reader feedback yet" in dashboard


def test_history_is_kept_and_a_version_can_be_restored(reviewer: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="cost-and-insurance")
    original_title = article.title
    form = article_admin_form(title="A new title", body=article.body, status="published")
    assert reviewer.post(f"{ARTICLES}{article.pk}/change/", form).status_code == 302
    history = reviewer.get(f"{ARTICLES}{article.pk}/history/").content.decode()
    versions = list(Version.objects.get_for_object(article))
    assert len(versions) >= 1
    first = versions[-1]
    assert f"history/{first.pk}/" in history or "history" in history
    form = article_admin_form(title=original_title, body=article.body, status="published")
    assert reviewer.post(f"{ARTICLES}{article.pk}/history/{first.pk}/", form).status_code == 302
    article.refresh_from_db()
    assert article.title == original_title


def test_loadcontent_changes_are_recorded_in_history(site_content: Path, load) -> None:
    load(site_content)
    article = Article.objects.get(slug="about")
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    assert versions[0].revision.get_comment() == "Loaded from content/ by loadcontent"


def test_admin_path_is_configurable() -> None:
    env = {**os.environ, "DJANGO_ADMIN_PATH": "editors-only/", "DJANGO_SETTINGS_MODULE": "ivmt_site.settings"}
    code = "import django; django.setup()\nfrom django.urls import reverse\nprint(reverse('admin:index'))"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.stdout.strip() == "/editors-only/", result.stderr


def test_failed_logins_lock_the_account_out(client: Client, settings) -> None:
    User.objects.create_user("control", password="the-right-password-123", is_staff=True)
    control = Client().post("/admin/login/", {"username": "control", "password": "the-right-password-123"})
    assert control.status_code == 302  # a right password works when nothing is locked
    User.objects.create_user("staffer", password="the-right-password-123", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "staffer", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "staffer", "password": "the-right-password-123"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_staff_sessions_expire() -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
