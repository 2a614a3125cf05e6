"""History in the admin: any two versions compared word by word; a restore that brings back only the text,
shows what it will change before it is saved, keeps clinical reviews, status, review dates and the change
log (adding an entry), rewinds no other record, and cannot overwrite a save made after it was opened."""

from datetime import date

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.editorial.edit_conflicts import EDIT_BASE
from articles.models import Article, ClinicalReview, GlossaryTerm, PageRevision, Status
from tests.admin_forms import change_url, opened_form, superuser

pytestmark = pytest.mark.django_db


def history_url(record: object, view: str, *args: object) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[record.pk, *args])


def save(client: Client, record: object, **changes: object) -> None:
    _, url = change_url(type(record), {"pk": record.pk})
    response = client.post(url, {**opened_form(client, url), **changes})
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.fixture
def page(loaded_site: None) -> Article:
    return Article.objects.get(slug="cost-and-insurance")


def test_history_compares_any_two_versions_word_by_word(page: Article) -> None:
    ann = superuser("ann")
    save(ann, page, summary="What IVMT costs, first wording.")
    save(ann, page, summary="What IVMT costs, second wording.")
    newest, middle = list(Version.objects.get_for_object(page))[:2]

    history = ann.get(history_url(page, "history")).content.decode()
    assert f'name="older" value="{middle.pk}"' in history and f'name="newer" value="{newest.pk}"' in history
    assert "Compare the two chosen versions" in history

    html = ann.get(history_url(page, "compare"), {"older": middle.pk, "newer": newest.pk}).content.decode()
    assert "<del>first </del><ins>second </ins>" in html
    assert "Summary" in html and "Body" not in html  # only what changed
    # Chosen the wrong way round, the older version is still the one struck out.
    swapped = ann.get(history_url(page, "compare"), {"older": newest.pk, "newer": middle.pk})
    assert "<del>first </del><ins>second </ins>" in swapped.content.decode()


def test_comparing_versions_of_another_record_is_not_found(page: Article) -> None:
    ann = superuser("ann")
    save(ann, page, summary="A summary.")
    other = GlossaryTerm.objects.get(slug="placebo")
    save(ann, other, definition="A definition.")
    theirs = Version.objects.get_for_object(other).first()
    mine = Version.objects.get_for_object(page).first()
    response = ann.get(history_url(page, "compare"), {"older": theirs.pk, "newer": mine.pk})
    assert response.status_code == 404


def test_a_restore_shows_what_it_will_change_and_keeps_everything_but_the_text(page: Article) -> None:
    reviewer = superuser("rita")
    original_summary = "The summary to go back to."
    save(reviewer, page, summary=original_summary)
    save(reviewer, page, summary="A summary to undo.")
    ClinicalReview.objects.create(
        article=page, reviewer_name="A Clinician", reviewer_role="Neurologist", reviewed_on=date(2026, 11, 1)
    )
    page.refresh_from_db()
    log_before, due_before, status_before = page.changes, page.next_review_due, page.status
    oldest = Version.objects.get_for_object(page)[1]
    assert oldest.field_dict["summary"] == original_summary

    url = history_url(page, "revision", oldest.pk)
    opened = reviewer.get(url)
    html = opened.content.decode()
    assert "Nothing changes until" in html
    assert "<del>A </del><ins>The </ins>summary to <del>undo." in html  # what will change, before saving
    assert opened.context["adminform"].form["summary"].value() == original_summary
    assert Article.objects.get(pk=page.pk).summary == "A summary to undo."  # nothing saved yet

    restored = reviewer.post(url, opened_form(reviewer, url))
    assert restored.status_code == 302, restored.content.decode()[:3000]
    page.refresh_from_db()
    assert page.summary == original_summary
    assert page.clinical_reviews.get().reviewer_name == "A Clinician"
    assert (page.status, page.next_review_due) == (status_before, due_before)
    assert page.changes[1:] == log_before
    assert page.changes[0]["summary"].startswith("Went back to the text of")
    assert Version.objects.get_for_object(page).first().revision.get_comment().startswith("Restored the text")


def test_a_restore_rewinds_no_other_record(page: Article) -> None:
    """A load saves every record it changed in one revision: restoring one of them leaves the others."""
    other = Article.objects.get(slug="side-effects")
    with reversion.create_revision():  # as loadcontent records a load
        page.save()
        other.save()
    loaded = Version.objects.get_for_object(page).get()
    assert loaded.revision.version_set.count() == 2
    reviewer = superuser("rita")
    save(reviewer, other, summary="Edited after the load.")
    save(reviewer, page, summary="Edited after the load too.")
    url = history_url(page, "revision", loaded.pk)
    assert reviewer.post(url, opened_form(reviewer, url)).status_code == 302
    assert Article.objects.get(pk=other.pk).summary == "Edited after the load."


def test_a_restore_cannot_overwrite_a_save_made_after_it_was_opened(page: Article) -> None:
    ann, bob = superuser("ann"), superuser("bob")
    save(ann, page, summary="Ann's first summary.")
    oldest = list(Version.objects.get_for_object(page))[-1]
    url = history_url(page, "revision", oldest.pk)
    restore_form = opened_form(bob, url)
    save(ann, page, summary="Ann's newer summary.")

    refused = bob.post(url, restore_form)
    assert refused.status_code == 200
    assert "Not saved: ann changed this record on" in refused.content.decode()
    assert Article.objects.get(pk=page.pk).summary == "Ann's newer summary."
    assert restore_form[EDIT_BASE] != refused.context["adminform"].form[EDIT_BASE].value()


def test_history_does_not_say_the_body_changed_when_no_word_did(page: Article) -> None:
    ann = superuser("ann")
    _, url = change_url(Article, {"pk": page.pk})
    form = opened_form(ann, url)
    form["body"] = form["body"].replace("\n", "\r\n") + "\r\n"  # as a browser sends a textarea
    form["summary"] = "Only the summary changed."
    assert ann.post(url, form).status_code == 302
    comment = Version.objects.get_for_object(page).first().revision.get_comment()
    assert "Summary" in comment and "Body" not in comment


def test_a_reviewer_reads_proposed_changes_against_the_live_text(page: Article) -> None:
    reviewer = superuser("rita")
    page.status = Status.PUBLISHED
    page.save()
    change = PageRevision.objects.create(
        article=page,
        change_note="Clearer summary",
        **{name: getattr(page, name) for name in PageRevision.REVISED_FIELDS},
    )
    change.summary = page.summary.replace("IVMT", "the drip", 1)
    change.save()
    assert change.summary != page.summary

    form = reviewer.get(reverse("admin:articles_pagerevision_change", args=[change.pk])).content.decode()
    assert "Compared with the live text" in form and "<ins>the drip" in form
    compare_url = reverse("admin:articles_pagerevision_compare", args=[change.pk])
    assert compare_url in form

    page_html = reviewer.get(compare_url).content.decode()
    assert "<del>IVMT" in page_html and "<ins>the drip" in page_html
    assert "Open the review form" in page_html

    change.status = "in_review"
    change.save()
    dashboard = reviewer.get("/admin/").content.decode()
    assert compare_url in dashboard


def test_recovering_a_deleted_record_brings_back_only_that_record(loaded_site: None) -> None:
    term, other = (
        GlossaryTerm.objects.get(slug="placebo"),
        GlossaryTerm.objects.exclude(slug="placebo").first(),
    )
    with reversion.create_revision():  # one revision holding both, as a load makes
        term.save()
        other.save()
    other.definition = "Changed after that revision."
    other.save()
    pk, definition = term.pk, term.definition
    term.delete()
    reviewer = superuser("rita")
    deleted = Version.objects.get_deleted(GlossaryTerm).get(object_id=str(pk))
    url = reverse("admin:articles_glossaryterm_recover", args=[deleted.pk])
    opened = opened_form(reviewer, url)
    assert not GlossaryTerm.objects.filter(pk=pk).exists()  # opening it saved nothing
    assert reviewer.post(url, opened).status_code == 302
    assert GlossaryTerm.objects.get(pk=pk).definition == definition
    assert GlossaryTerm.objects.get(pk=other.pk).definition == "Changed after that revision."
