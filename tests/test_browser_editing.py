"""In a real Chromium: an Editor edits with the live preview and submits; a Clinical reviewer publishes."""

import os
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import Browser, Page, expect

from articles.editorial.roles import CLINICAL_REVIEWER, EDITOR, sync_groups
from articles.models import Article, Status
from tests.browser import chromium

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run beside one unless told
# it is safe, which it is here: the test and the live server use separate connections.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-browser-password"
# Every topic page has this section (articles.page_rules): edits are made just above it.
KNOWN_AND_NOT = "## What we know and what we don't"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


# What Chromium reports when the Content-Security-Policy refuses something on a page the editors use.
CSP_ERRORS: list[str] = []


@pytest.fixture(autouse=True)
def _no_csp_violations() -> Iterator[None]:
    CSP_ERRORS.clear()
    yield
    assert CSP_ERRORS == []


def make_user(name: str, group: str) -> User:
    sync_groups(Group, Permission)  # a transactional test's database is flushed, data migrations included
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(browser: Browser, base_url: str, username: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    page.on("console", lambda m: CSP_ERRORS.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#review-dashboard")).to_be_visible()
    return page


def test_an_editor_submits_and_a_reviewer_publishes(browser: Browser, live_server, loaded_site: None) -> None:
    article = Article.objects.get(slug="how-to-get-it")
    article.status = Status.DRAFT
    article.save()
    make_user("editor", EDITOR)
    make_user("reviewer", CLINICAL_REVIEWER)

    editor = log_in(browser, live_server.url, "editor")
    editor.goto(f"/admin/articles/article/{article.pk}/change/")
    new_text = "A **new line** from the editor. <img src=x onerror=alert(1)><script>alert(2)</script>"
    body = editor.locator("textarea#id_body")
    body.fill(article.body.replace(KNOWN_AND_NOT, f"{new_text}\n\n{KNOWN_AND_NOT}"))
    body.dispatch_event("input")
    preview = editor.locator(".markdownx-preview")
    expect(preview.locator("strong", has_text="new line")).to_be_visible()
    preview_html = preview.inner_html()
    assert "onerror" not in preview_html and "<script" not in preview_html and "<img" not in preview_html

    options = editor.locator("select#id_status option").all_inner_texts()
    assert "Published" not in options
    editor.select_option("select#id_status", "in_review")
    editor.click("input[name=_save]")
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert editor.goto(f"{live_server.url}/how-to-get-it/").status == 404

    editor.goto("/admin/articles/article/")
    assert "publish" not in editor.locator("select[name=action] option").evaluate_all(
        "options => options.map(o => o.value)"
    )

    reviewer = log_in(browser, live_server.url, "reviewer")
    reviewer.goto("/admin/articles/article/")
    reviewer.locator(f"input[name=_selected_action][value='{article.pk}']").check()
    reviewer.select_option("select[name=action]", "publish")
    reviewer.click("button[name=index]")
    expect(reviewer.locator(".messagelist")).to_contain_text("1 published")

    public = browser.new_page()
    response = public.goto(f"{live_server.url}/how-to-get-it/")
    assert response is not None and response.status == 200
    expect(public.locator("main strong", has_text="new line")).to_be_visible()
    assert not re.search(r"<script|onerror", public.locator("main").inner_html())


def test_an_editor_proposes_changes_to_a_live_page_and_a_reviewer_publishes_them(
    browser: Browser, live_server, loaded_site: None
) -> None:
    article = Article.objects.get(slug="how-to-get-it")
    assert article.status == Status.PUBLISHED
    make_user("editor", EDITOR)
    make_user("reviewer", CLINICAL_REVIEWER)
    public = browser.new_page()

    editor = log_in(browser, live_server.url, "editor")
    editor.goto(f"/admin/articles/article/{article.pk}/change/")
    editor.click("text=Propose changes")
    body = editor.locator("textarea#id_body")
    expect(body).to_have_value(re.compile(KNOWN_AND_NOT))
    new_text = "A **proposed line** from the editor."
    body.fill(article.body.replace(KNOWN_AND_NOT, f"{new_text}\n\n{KNOWN_AND_NOT}"))
    body.dispatch_event("input")
    expect(editor.locator(".markdownx-preview strong", has_text="proposed line")).to_be_visible()
    editor.fill("#id_change_note", "Added a line on prescribers.")
    editor.select_option("select#id_status", "in_review")
    editor.screenshot(path=screenshot("proposed-changes-form"), full_page=True)
    editor.click("input[name=_save]")
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")

    public.goto(f"{live_server.url}/how-to-get-it/")
    expect(public.locator("main strong", has_text="proposed line")).to_have_count(0)

    reviewer = log_in(browser, live_server.url, "reviewer")
    expect(reviewer.locator("#review-dashboard")).to_contain_text("Added a line on prescribers.")
    reviewer.goto("/admin/articles/pagerevision/")
    reviewer.locator("input[name=_selected_action]").first.check()
    reviewer.select_option("select[name=action]", "publish")
    reviewer.click("button[name=index]")
    expect(reviewer.locator(".messagelist")).to_contain_text("1 published")

    public.goto(f"{live_server.url}/how-to-get-it/")
    expect(public.locator("main strong", has_text="proposed line")).to_be_visible()
    expect(public.locator("main")).to_contain_text("Added a line on prescribers.")


def screenshot(name: str) -> str:
    folder = settings.BASE_DIR / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"admin-{name}.png")


def test_two_editors_on_one_draft_the_second_save_is_refused_and_nothing_is_lost(
    browser: Browser, live_server, loaded_site: None
) -> None:
    make_user("erin", EDITOR)
    make_user("femi", EDITOR)
    draft = Article.objects.get(slug="cost-and-insurance")
    Article.objects.filter(pk=draft.pk).update(status=Status.DRAFT)  # editors may change drafts
    erin, femi = log_in(browser, live_server.url, "erin"), log_in(browser, live_server.url, "femi")
    url = f"/admin/articles/article/{draft.pk}/change/"
    erin.goto(url)
    femi.goto(url)
    expect(femi.locator(".messagelist")).to_contain_text("also opened this record")

    erin.fill("#id_summary", "Erin's summary of the costs.")
    erin.locator("input[name=_save]").click()
    expect(erin.locator(".messagelist")).to_contain_text("was changed successfully")

    femi.fill("#id_summary", "Femi's summary of the costs.")
    femi.locator("input[name=_save]").click()
    refusal = femi.locator(".errornote, .errorlist").first
    expect(refusal).to_be_visible()
    expect(femi.locator("body")).to_contain_text("Not saved: erin changed this record on")
    expect(femi.locator("dl.edit-conflict ins").first).to_contain_text("Femi")
    expect(femi.locator("#id_summary")).to_have_value("Femi's summary of the costs.")  # her text is kept
    assert Article.objects.get(pk=draft.pk).summary == "Erin's summary of the costs."
    erin.context.close()
    femi.context.close()


def test_a_reviewer_compares_versions_and_restores_one_keeping_the_clinical_reviews(
    browser: Browser, live_server, loaded_site: None
) -> None:
    make_user("rita", CLINICAL_REVIEWER)
    article = Article.objects.get(slug="cost-and-insurance")
    rita = log_in(browser, live_server.url, "rita")
    url = f"/admin/articles/article/{article.pk}/change/"
    for summary in ("The summary worth keeping.", "A summary that went wrong."):
        rita.goto(url)
        rita.fill("#id_summary", summary)
        rita.locator("input[name=_save]").click()
        expect(rita.locator(".messagelist")).to_contain_text("was changed successfully")
    rita.goto(url)  # a clinical review recorded after the text went wrong
    rita.click("text=Add another Clinical review")
    rita.fill("#id_clinical_reviews-0-reviewer_name", "Dr A Clinician")
    rita.fill("#id_clinical_reviews-0-reviewer_role", "Consultant neurologist")
    rita.fill("#id_clinical_reviews-0-reviewed_on", "2026-11-20")
    rita.locator("input[name=_save]").click()
    expect(rita.locator(".messagelist")).to_contain_text("was changed successfully")

    rita.goto(f"{url.removesuffix('change/')}history/")
    rita.locator("input[name=newer]").nth(1).check()
    rita.locator("input[name=older]").nth(2).check()
    rita.click("text=Compare the two chosen versions")
    expect(rita.locator("dl.comparison del", has_text="worth keeping")).to_be_visible()
    expect(rita.locator("dl.comparison ins", has_text="went wrong")).to_be_visible()

    rita.go_back()
    rita.locator("#change-history tbody tr").nth(2).locator("a").click()  # the version worth keeping
    expect(rita.locator(".restore-preview")).to_contain_text("Nothing changes until you save")
    expect(rita.locator(".restore-preview ins", has_text="worth keeping")).to_be_visible()
    expect(rita.locator("#id_summary")).to_have_value("The summary worth keeping.")
    rita.screenshot(path=screenshot("restore-form"), full_page=True)
    rita.locator("input[name=_save]").click()
    expect(rita.locator(".messagelist")).to_contain_text("was changed successfully")

    article.refresh_from_db()
    assert article.summary == "The summary worth keeping."
    assert article.clinical_reviews.get().reviewer_name == "Dr A Clinician"
    assert article.changes[0]["summary"].startswith("Went back to the text of")
    rita.context.close()
