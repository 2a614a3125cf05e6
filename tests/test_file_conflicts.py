"""A record changed both in its file and in the admin: both commands show the diff and one next step;
`--prefer file` over a published record makes proposed changes for review unless `--force-live` is given."""

import re
from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.content_files.conflicts import NEXT_STEP
from articles.editorial.publishing import publish_changes
from articles.models import Article, PageRevision, ProposedChange, Reference, ReviewStep, RevisionStatus
from faq.models import AnswerRevision, Category, Question
from tests.conftest import article_file, database_snapshot, question_file
from tests.test_review_email import mail_server_down  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

Load = Callable[..., str]


def refused(command: str, root: Path) -> str:
    """Run loadcontent or exportcontent on `root`, which must refuse for a conflict; returns its stderr."""
    option = "--content" if command == "loadcontent" else "--output"
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 conflict\(s\); nothing was"):
        call_command(command, option, str(root), stdout=StringIO(), stderr=err)
    return err.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()
    }


def edit_about_on_both_sides(
    root: Path, load: Load, *, status: str = "published", order: int = 90, admin_status: str | None = None
) -> None:
    """The about page (not a topic page), loaded, then edited in the admin (its status set to `admin_status`
    if given) and in its file."""
    if status != "published" or admin_status:  # a link to a page readers cannot see would be refused
        (root / "articles" / "home.md").write_text(article_file("Home", "Welcome.", order=0, topic=False))
    about_file = root / "articles" / "about.md"
    about_file.write_text(
        article_file("About this site", "Who we are.", order=90, status=status, topic=False)
    )
    load(root)
    about = Article.objects.get(slug="about")
    about.body = "Edited in the admin."
    if admin_status:
        about.status = admin_status
    about.save()
    about_file.write_text(
        article_file("About this site", "Edited in the file.", order=order, status=status, topic=False)
    )


def test_both_commands_show_the_admin_version_against_the_file_and_write_nothing(
    minimal_content: Path, load: Load
) -> None:
    edit_about_on_both_sides(minimal_content, load)
    files, rows = tree(minimal_content), database_snapshot()

    for command in ("loadcontent", "exportcontent"):
        message = refused(command, minimal_content)
        assert "conflict: article 'about'" in message
        assert "--- admin: article 'about'\n+++ file: content/articles/about.md\n" in message
        # Unchanged lines (the end of the front matter) as context, not as changes.
        assert "\n ---\n-Edited in the admin.\n+Edited in the file.\n" in message
        assert not re.search(r"^[-+](title|status|order):", message, re.MULTILINE)
        assert message.rstrip().endswith(NEXT_STEP)
        assert "run exportcontent" not in message.lower()
        assert tree(minimal_content) == files
        assert database_snapshot() == rows


def test_the_diff_names_each_field_that_differs_as_the_file_holds_it(
    minimal_content: Path, load: Load
) -> None:
    load(minimal_content)
    Reference.objects.filter(key="ali2009").update(title="Changed in the admin")
    references = minimal_content / "site" / "references.yaml"
    references.write_text(references.read_text().replace("A pilot study", "Changed in the file"))

    loaded, exported = refused("loadcontent", minimal_content), refused("exportcontent", minimal_content)

    for message in (loaded, exported):
        assert "--- admin: reference 'ali2009'\n+++ file: content/site/references.yaml\n" in message
        assert "\n-  title: Changed in the admin\n+  title: Changed in the file\n" in message
    # The same situation reads the same from either command (the content folder is the same).
    assert loaded == exported


def test_the_next_step_does_not_loop_keeping_the_admin_version(minimal_content: Path, load: Load) -> None:
    edit_about_on_both_sides(minimal_content, load)
    load(minimal_content, "--prefer", "admin")
    call_command("exportcontent", "--output", str(minimal_content), stdout=StringIO())
    assert "Edited in the admin." in (minimal_content / "articles" / "about.md").read_text()
    assert "Nothing changed" in load(minimal_content)


def test_prefer_file_over_a_published_page_proposes_the_file_text_for_review(
    minimal_content: Path, load: Load
) -> None:
    edit_about_on_both_sides(minimal_content, load, order=91)
    live_before = Article.objects.get(slug="about")

    output = load(minimal_content, "--prefer", "file")

    about = Article.objects.get(slug="about")
    for name in ("title", "summary", "body", "body_html", "order", "status", "updated"):
        assert getattr(about, name) == getattr(live_before, name), name
    change = PageRevision.objects.get()
    assert change.article == about
    assert change.body == "Edited in the file.\n"
    assert change.title == "About this site"
    assert change.status == RevisionStatus.IN_REVIEW
    assert change.proposed_by is None
    assert change.based_on == PageRevision.text_fingerprint(about)
    assert re.fullmatch(
        r"From content/articles/about\.md \(loadcontent --prefer file, \d{4}-\d\d-\d\d\)", change.change_note
    )
    assert "conflict settled in favour of the file: article 'about'" in output
    assert "is in proposed changes awaiting review" in output
    assert "until a Clinical reviewer publishes them" in output
    # The order is not part of proposed changes: the live value stays, and the load says so.
    assert "Proposed changes do not revise order, which the file sets differently" in output
    assert about.order == 90
    assert "articles: 0 created, 0 updated, 1 unchanged, 0 kept, 1 proposed" in output

    # The next plain load neither reports the conflict again nor proposes the same text again.
    again = load(minimal_content)
    assert "conflict" not in again
    assert "waiting for review: the file's text of article 'about'" in again
    assert PageRevision.objects.count() == 1
    assert Article.objects.get(slug="about").body == "Edited in the admin.\n"


def test_file_text_proposed_for_review_can_be_published_and_then_files_and_admin_agree(
    minimal_content: Path, load: Load
) -> None:
    edit_about_on_both_sides(minimal_content, load)
    load(minimal_content, "--prefer", "file")
    reviewer = User.objects.create_user("reviewer")

    publish_changes(PageRevision.objects.get(), user=reviewer, today=date(2026, 12, 1))

    assert Article.objects.get(slug="about").body == "Edited in the file.\n"
    assert "conflict" not in load(minimal_content)  # the change log entry publishing added is an admin edit
    call_command("exportcontent", "--output", str(minimal_content), stdout=StringIO())
    assert "Nothing changed" in load(minimal_content)


def test_prefer_file_over_a_draft_page_puts_the_file_text_in_at_once(
    minimal_content: Path, load: Load
) -> None:
    edit_about_on_both_sides(minimal_content, load, status="draft")

    output = load(minimal_content, "--prefer", "file")

    assert Article.objects.get(slug="about").body == "Edited in the file.\n"
    assert not PageRevision.objects.exists()
    assert "the file's text is in; its status stays draft, as it was in the admin" in output
    assert "live now" not in output and "no review step" not in output
    assert "Nothing changed" in load(minimal_content)


def test_prefer_file_over_a_page_taken_down_to_draft_does_not_publish_it(
    minimal_content: Path, load: Load
) -> None:
    # A reviewer took the page down to Draft; its file, edited meanwhile, still says it is published.
    edit_about_on_both_sides(minimal_content, load, admin_status="draft")

    output = load(minimal_content, "--prefer", "file")

    about = Article.objects.get(slug="about")
    assert (about.body, about.status) == ("Edited in the file.\n", "draft")
    assert not PageRevision.objects.exists()
    assert "conflict settled in favour of the file: article 'about'" in output
    assert "the file's text is in; its status stays draft, as it was in the admin" in output
    assert "The file says status: published" in output
    assert "live now" not in output and "no review step" not in output

    # The next plain load keeps the draft (the admin's status) and reports no conflict.
    again = load(minimal_content)
    assert "conflict" not in again
    assert "kept admin edit: article 'about'" in again
    assert Article.objects.get(slug="about").status == "draft"


def test_force_live_over_a_page_taken_down_to_draft_publishes_it_and_says_so(
    minimal_content: Path, load: Load
) -> None:
    edit_about_on_both_sides(minimal_content, load, admin_status="draft")

    output = load(minimal_content, "--prefer", "file", "--force-live")

    about = Article.objects.get(slug="about")
    assert (about.body, about.status) == ("Edited in the file.\n", "published")
    assert "the file's text is in and published now, without review (--force-live)" in output
    assert "Nothing changed" in load(minimal_content)


def test_force_live_over_a_draft_the_file_keeps_draft_does_not_say_it_is_live(
    minimal_content: Path, load: Load
) -> None:
    edit_about_on_both_sides(minimal_content, load, status="draft")

    output = load(minimal_content, "--prefer", "file", "--force-live")

    assert Article.objects.get(slug="about").status == "draft"
    assert "the file's text is in; its status is draft, so readers do not see it" in output
    assert "live now" not in output and "without review" not in output
    assert "Nothing changed" in load(minimal_content)


def test_prefer_file_over_a_published_answer_proposes_it_for_review(
    minimal_content: Path, load: Load
) -> None:
    load(minimal_content)
    Question.objects.filter(slug="is-it-proven").update(answer="Not yet, said the admin.\n")
    answer_file = minimal_content / "faq" / "is-it-proven.md"
    answer_file.write_text(question_file("Is it proven yet?", "Not yet, says the file.[@ali2009]"))

    output = load(minimal_content, "--prefer", "file")

    question = Question.objects.get(slug="is-it-proven")
    assert (question.question, question.answer) == ("Is it proven?", "Not yet, said the admin.\n")
    change = AnswerRevision.objects.get()
    assert change.live_question == question
    assert (change.question, change.answer) == ("Is it proven yet?", "Not yet, says the file.[@ali2009]\n")
    assert change.status == RevisionStatus.IN_REVIEW
    assert change.change_note.startswith("From content/faq/is-it-proven.md (loadcontent --prefer file, ")
    assert "conflict settled in favour of the file: question 'is-it-proven'" in output

    again = load(minimal_content)
    assert "conflict" not in again and "waiting for review" in again
    assert AnswerRevision.objects.count() == 1


def test_force_live_puts_the_file_text_live_and_keeps_the_admin_version_in_history(
    minimal_content: Path, load: Load
) -> None:
    edit_about_on_both_sides(minimal_content, load)

    output = load(minimal_content, "--prefer", "file", "--force-live")

    about = Article.objects.get(slug="about")
    assert about.body == "Edited in the file.\n"
    assert not PageRevision.objects.exists()
    assert "the file's text is live now, without review (--force-live)" in output
    assert "Edited in the admin.\n" in [v.field_dict["body"] for v in Version.objects.get_for_object(about)]
    assert "Nothing changed" in load(minimal_content)


def test_force_live_goes_only_with_prefer_file(minimal_content: Path, load: Load) -> None:
    edit_about_on_both_sides(minimal_content, load)
    rows = database_snapshot()
    for extra in ([], ["--prefer", "admin"]):
        with pytest.raises(CommandError, match="--force-live goes only with --prefer file"):
            load(minimal_content, *extra, "--force-live")
    assert database_snapshot() == rows


def test_check_with_prefer_file_proposes_nothing(minimal_content: Path, load: Load) -> None:
    edit_about_on_both_sides(minimal_content, load)
    rows = database_snapshot()
    output = load(minimal_content, "--check", "--prefer", "file")
    assert "would go in as proposed changes" in output
    assert "1 would be proposed" in output
    assert not PageRevision.objects.exists()
    assert database_snapshot() == rows


def test_prefer_file_over_a_kind_without_proposed_changes_puts_the_file_text_live(
    minimal_content: Path, load: Load
) -> None:
    load(minimal_content)
    Category.objects.filter(slug="basics").update(title="Basics, from the admin")
    categories = minimal_content / "faq" / "categories.yaml"
    categories.write_text(categories.read_text().replace("Basics", "Basics, from the file"))
    assert ProposedChange.model_for(Category) is None

    output = load(minimal_content, "--prefer", "file")

    assert Category.objects.get(slug="basics").title == "Basics, from the file"
    assert (
        "the file's text is live now (categories have no proposed changes: a save in the admin puts them "
        "live too)" in output
    )
    assert "yet" not in output
    assert "Nothing changed" in load(minimal_content)


def test_the_proposed_changes_of_a_kind_are_found_from_the_live_model() -> None:
    assert ProposedChange.model_for(Article) is PageRevision
    assert ProposedChange.model_for(Question) is AnswerRevision


def test_a_reviewer_finds_file_text_proposed_for_review_in_the_admin(
    minimal_content: Path, load: Load, reviewer: Client
) -> None:
    edit_about_on_both_sides(minimal_content, load)
    load(minimal_content, "--prefer", "file")
    change = PageRevision.objects.get()

    listing = reviewer.get(reverse("admin:articles_pagerevision_changelist"))
    page = reviewer.get(reverse("admin:articles_pagerevision_change", args=[change.pk]))

    assert listing.status_code == page.status_code == 200
    assert "From content/articles/about.md (loadcontent --prefer file," in listing.content.decode()
    assert "Edited in the file." in page.content.decode()


def test_file_text_proposed_for_review_is_submitted_and_the_reviewers_are_emailed(
    minimal_content: Path, load: Load, reviewer: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    User.objects.filter(username="clinical-reviewer").update(email="reviewer@example.org")
    edit_about_on_both_sides(minimal_content, load)
    out = StringIO()

    # The emails wait for the load to commit (the test's own transaction never does: run them as a commit).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loadcontent", "--content", str(minimal_content), "--prefer", "file", stdout=out)

    change = PageRevision.objects.get()
    step = change.review_steps.get()
    assert (step.action, step.user) == (ReviewStep.Action.SUBMITTED, None)
    assert step.comment == "From content/articles/about.md (loadcontent --prefer file)"
    [email] = mail.outbox
    assert email.to == ["reviewer@example.org"]
    assert email.subject == f"For review: {change}"
    assert "The text of content/articles/about.md (loadcontent --prefer file) is proposed as" in email.body
    assert "Someone" not in email.body
    assert f"/admin/articles/pagerevision/{change.pk}/change/" in email.body
    assert f"emailed the Clinical reviewers (reviewer@example.org) about {change}" in out.getvalue()

    # The proposals list and the proposal's form say where it stands and where it came from.
    listing = reviewer.get(reverse("admin:articles_pagerevision_changelist")).content.decode()
    assert re.search(r"<td class=\"field-outcome\">Submitted for review on [^<]*</td>", listing)
    form = reviewer.get(reverse("admin:articles_pagerevision_change", args=[change.pk])).content.decode()
    assert "From content/articles/about.md (loadcontent --prefer file)" in form
    assert "former user" not in form

    # Later loads submit nothing again and email nobody.
    with django_capture_on_commit_callbacks(execute=True):
        load(minimal_content)
    assert change.review_steps.count() == 1 and len(mail.outbox) == 1


def test_file_text_proposed_with_no_reviewer_address_is_still_submitted(
    minimal_content: Path, load: Load, django_capture_on_commit_callbacks: Callable
) -> None:
    edit_about_on_both_sides(minimal_content, load)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loadcontent", "--content", str(minimal_content), "--prefer", "file", stdout=out)
    change = PageRevision.objects.get()
    assert change.review_steps.get().action == ReviewStep.Action.SUBMITTED
    assert not mail.outbox
    assert f"no Clinical reviewer has an email address: nobody was emailed about {change}" in out.getvalue()


@pytest.mark.usefixtures("mail_server_down")
def test_a_mail_failure_keeps_the_proposal_submitted_and_says_so(
    minimal_content: Path, load: Load, reviewer: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    User.objects.filter(username="clinical-reviewer").update(email="reviewer@example.org")
    edit_about_on_both_sides(minimal_content, load)
    out, err = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "loadcontent", "--content", str(minimal_content), "--prefer", "file", stdout=out, stderr=err
        )
    change = PageRevision.objects.get()
    assert change.review_steps.get().action == ReviewStep.Action.SUBMITTED
    assert f"warning: the email to the Clinical reviewers about {change} could not be sent" in err.getvalue()
    assert "Tell them another way" in err.getvalue()
