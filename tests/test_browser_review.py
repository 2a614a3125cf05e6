"""In a real Chromium: a Clinical reviewer sends proposed changes back with a comment; the comment reaches
their editor by email (Django's test mail backend, in this process) and on the form, and the editor
resubmits."""

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from articles.editorial.roles import CLINICAL_REVIEWER, EDITOR
from articles.models import Article, PageRevision, RevisionStatus
from tests.browser import chromium
from tests.test_browser_editing import (
    _no_csp_violations,  # noqa: F401  (autouse: fails the test on any Content-Security-Policy violation)
    log_in,
    make_user,
    screenshot,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


COMMENT = "Please say how long the warm feeling lasts, and cite the study for it."


def test_a_reviewer_sends_back_proposed_changes_and_the_editor_gets_the_comment(
    browser: Browser, live_server, loaded_site: None
) -> None:
    editor_user = make_user("editor", EDITOR)
    editor_user.email = "editor@example.org"
    editor_user.save()
    make_user("reviewer", CLINICAL_REVIEWER).email = ""  # a reviewer without an address: no email, no error
    page = Article.objects.get(slug="side-effects")
    change = PageRevision.objects.create(
        article=page,
        **{name: getattr(page, name) for name in PageRevision.REVISED_FIELDS},
        change_note="Explained the warm feeling.",
        status=RevisionStatus.IN_REVIEW,
        based_on=PageRevision.text_fingerprint(page),
        proposed_by=editor_user,
    )
    url = f"/admin/articles/pagerevision/{change.pk}/change/"

    reviewer = log_in(browser, live_server.url, "reviewer")
    reviewer.goto(url)
    reviewer.click("input[name=_send_back]")  # without a comment: refused, nothing sent
    expect(reviewer.locator(".errorlist")).to_contain_text("Write what needs changing")
    assert not mail.outbox
    reviewer.fill("textarea#id_review_comment", COMMENT)
    reviewer.screenshot(path=screenshot("send-back"), full_page=True)
    reviewer.click("input[name=_send_back]")
    expect(reviewer.locator(".messagelist")).to_contain_text("was sent back to its editor with your comment")

    [email] = mail.outbox
    assert email.to == ["editor@example.org"]
    assert COMMENT in email.body
    link = re.search(r"http://127\.0\.0\.1:8000(/admin/\S+)", email.body)
    assert link and link.group(1) == url

    editor = log_in(browser, live_server.url, "editor")
    editor.goto(link.group(1))
    expect(editor.locator(".review-sent-back")).to_contain_text(COMMENT)
    editor.fill("#id_summary", "Side effects of the drip, and how long the warm feeling lasts.")
    editor.click("input[name=_submit_for_review]")
    expect(editor.locator(".messagelist")).to_contain_text("was submitted for review")
    change.refresh_from_db()
    assert change.status == RevisionStatus.IN_REVIEW
    assert change.summary.endswith("how long the warm feeling lasts.")
    assert len(mail.outbox) == 1  # no reviewer has an address: nobody else was emailed


def test_a_reviewer_reads_the_comparison_from_the_dashboard_and_publishes(
    browser: Browser, live_server, loaded_site: None
) -> None:
    editor_user = make_user("editor", EDITOR)
    make_user("reviewer", CLINICAL_REVIEWER)
    page = Article.objects.get(slug="side-effects")
    change = PageRevision.objects.create(
        article=page,
        **{name: getattr(page, name) for name in PageRevision.REVISED_FIELDS},
        change_note="A plainer summary.",
        status=RevisionStatus.IN_REVIEW,
        based_on=PageRevision.text_fingerprint(page),
        proposed_by=editor_user,
    )
    PageRevision.objects.filter(pk=change.pk).update(summary="The side effects of the drip, in plain words.")

    reviewer = log_in(browser, live_server.url, "reviewer")
    reviewer.locator("#review-dashboard a", has_text=page.title).first.click()
    expect(reviewer.locator("dl.comparison ins", has_text="plain words")).to_be_visible()
    expect(reviewer.locator("dl.comparison dt")).to_have_text(["Summary"])  # only what changed
    reviewer.screenshot(path=screenshot("proposal-comparison"), full_page=True)
    reviewer.click("text=Open the review form")
    expect(reviewer.locator(".field-compared_with_live ins", has_text="plain words")).to_be_visible()
    reviewer.click("input[name=_publish]")
    expect(reviewer.locator(".messagelist")).to_contain_text("published")

    page.refresh_from_db()
    assert page.summary == "The side effects of the drip, in plain words."
    change.refresh_from_db()
    assert change.status == RevisionStatus.PUBLISHED
    public = browser.new_page()
    public.goto(f"{live_server.url}/side-effects/")
    expect(public.locator("main")).to_contain_text("A plainer summary.")  # the public change log
