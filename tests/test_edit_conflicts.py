"""No lost update in the admin: two people open the same record; the first save stands; the second is refused
with who saved first, when, and a word-level comparison, and the second editor's text stays in the form."""

import pytest

from articles.editorial.comparisons import word_diff
from articles.editorial.edit_conflicts import EDIT_BASE
from articles.models import (
    Article,
    ClinicalReview,
    DecisionOption,
    Disclaimer,
    GlossaryTerm,
    PageRevision,
    Reference,
    SharedBlock,
)
from faq.models import Category, Question
from tests.admin_forms import change_url, opened_form, superuser

pytestmark = pytest.mark.django_db

# (model, the record's key, a text field to change)
RECORDS = [
    (Article, {"slug": "side-effects"}, "summary"),
    (Question, {"slug": "does-it-hurt"}, "question"),
    (Reference, {"key": "ali2009"}, "title"),
    (GlossaryTerm, {"slug": "placebo"}, "definition"),
    (Disclaimer, {}, "title"),
    (SharedBlock, {"slug": "report-side-effect"}, "title"),
    (DecisionOption, {"slug": "ivmt"}, "living"),
    (Category, {"slug": "safety"}, "title"),
    (PageRevision, {"change_note": "Proposed in a test"}, "summary"),
]


@pytest.fixture(autouse=True)
def _a_proposed_change(loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    PageRevision.objects.create(
        article=article,
        change_note="Proposed in a test",
        **{name: getattr(article, name) for name in PageRevision.REVISED_FIELDS},
    )


@pytest.mark.parametrize(("model", "lookup", "field"), RECORDS, ids=[r[0].__name__ for r in RECORDS])
def test_the_second_save_is_refused_and_nothing_is_lost(
    loaded_site: None, model: type, lookup: dict[str, str], field: str
) -> None:
    first, second = superuser("ann"), superuser("bob")
    record, url = change_url(model, lookup)
    anns, bobs = opened_form(first, url), opened_form(second, url)
    assert anns[EDIT_BASE] and anns[EDIT_BASE] == bobs[EDIT_BASE]
    original = getattr(record, field)

    saved = first.post(url, {**anns, field: f"{original} Ann's words"})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    refused = second.post(url, {**bobs, field: f"{original} Bob's words"})

    assert refused.status_code == 200
    html = refused.content.decode()
    who = "ann"  # from the history, or for proposed changes from the admin's log of saves
    assert f"Not saved: {who} changed this record on" in html
    assert "<del>Ann&#x27;s </del><ins>Bob&#x27;s </ins>" in html  # the comparison
    assert "Bob&#x27;s words" in html or "Bob's words" in html  # Bob's text is still in the form
    assert getattr(model.objects.get(pk=record.pk), field) == f"{original} Ann's words"

    # Having read the comparison, Bob saves again from the refused form: it goes through.
    form = refused.context["adminform"].form
    again = second.post(url, {**bobs, field: f"{original} Bob's words", EDIT_BASE: form[EDIT_BASE].value()})
    assert again.status_code == 302
    assert getattr(model.objects.get(pk=record.pk), field) == f"{original} Bob's words"


def test_a_page_rendered_again_after_a_block_changed_is_not_an_edit(loaded_site: None) -> None:
    editor, other = superuser("ann"), superuser("bob")
    page, page_url = change_url(Article, {"slug": "side-effects"})
    block, block_url = change_url(SharedBlock, {"slug": "report-side-effect"})
    assert "report-side-effect" in page.shared_blocks
    opened = opened_form(editor, page_url)
    other.post(block_url, {**opened_form(other, block_url), "title": "A retitled block"})
    response = editor.post(page_url, {**opened, "summary": "A new summary."})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_save_of_an_unchanged_record_goes_through(loaded_site: None) -> None:
    editor = superuser("ann")
    record, url = change_url(Reference, {"key": "ali2009"})
    response = editor.post(url, {**opened_form(editor, url), "title": "A new title"})
    assert response.status_code == 302
    assert Reference.objects.get(pk=record.pk).title == "A new title"


def test_the_form_says_who_else_opened_the_record(loaded_site: None) -> None:
    _, url = change_url(GlossaryTerm, {"slug": "placebo"})
    superuser("ann").get(url)
    html = superuser("bob").get(url).content.decode()
    assert "ann also opened this record in the last 10 minutes" in html.lower()


def test_the_comparison_marks_words_and_escapes_text() -> None:
    diff = word_diff("Take <b>one</b> pill a day.", "Take two pills a day.")
    expected = "Take <del>&lt;b&gt;one&lt;/b&gt; pill </del><ins>two pills </ins>a day."
    assert diff == expected
    assert "<b>" not in diff


def test_a_clinical_review_row_changed_since_the_form_opened_is_not_overwritten(loaded_site: None) -> None:
    page, url = change_url(Article, {"slug": "side-effects"})
    review = ClinicalReview.objects.create(
        article=page, reviewer_name="A Clinician", reviewer_role="Neurologist", reviewed_on="2026-11-01"
    )
    ann, bob = superuser("ann"), superuser("bob")
    anns, bobs = opened_form(ann, url), opened_form(bob, url)
    assert anns["clinical_reviews-0-edit_base"]
    assert ann.post(url, {**anns, "clinical_reviews-0-notes": "Ann's note"}).status_code == 302

    refused = bob.post(url, {**bobs, "clinical_reviews-0-notes": "Bob's note"})
    assert refused.status_code == 200
    assert "Not saved: ann changed this record on" in refused.content.decode()
    assert ClinicalReview.objects.get(pk=review.pk).notes == "Ann's note"
