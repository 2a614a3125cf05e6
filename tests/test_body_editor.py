"""The admin's body editor: a preview that shows care cards with the site's own stylesheet, the body's
problems by line and its reading grade against the target; writing aids beside the body."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.models import Article, Reference, SharedBlock
from articles.rendering.readability import MAIN_GRADE_TARGET
from faq.models import Question

pytestmark = pytest.mark.django_db

PREVIEW = "/editor/markdownify/"
GOOD_CARD = '!!! urgent "Get help today if you:"\n    - have a red streak up your arm\n'
BROKEN_CARD = "!!! urgent “Get help today if you:”\n    - have a red streak up your arm\n"


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "a-long-test-password"))
    return client


def preview(client: Client, text: str) -> str:
    response = client.post(PREVIEW, {"content": text})
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_preview_shows_the_reading_grade_against_its_target(staff: Client) -> None:
    html = preview(staff, "Talk to your doctor first. Tell them about your health.\n\n" + GOOD_CARD)
    grade = re.search(r"Reading grade (-?\d+\.\d) \(target: (\d+) or lower\)", html)
    assert grade is not None, html
    assert float(grade[1]) < MAIN_GRADE_TARGET and grade[2] == str(MAIN_GRADE_TARGET)
    assert "Hardest care card: grade" in html and "(target: 6 or lower)" in html
    assert "too hard" not in html


def test_hard_text_is_marked_over_its_target(staff: Client) -> None:
    html = preview(
        staff,
        "Intravenous micronutrient administration necessitates comprehensive evaluation of "
        "contraindications, particularly cardiovascular pathology, nephrological insufficiency, "
        "and concomitant pharmacotherapy affecting neuromuscular transmission.",
    )
    assert 'class="editor-preview__grade--over"' in html
    assert "(target: 8 or lower): too hard" in html


def test_an_empty_body_has_no_grade_yet(staff: Client) -> None:
    assert "write some text to measure it" in preview(staff, "")


def test_the_preview_styles_a_card_as_the_site_does_and_lists_a_broken_ones_problems(staff: Client) -> None:
    good = preview(staff, GOOD_CARD)
    assert 'class="care-card care-card--urgent"' in good and 'class="care-card__heading"' in good
    assert "Fix before saving" not in good

    broken = preview(staff, "Intro.\n\n" + BROKEN_CARD + "\nCited.[@ label-magnesium]\n")
    assert "care-card" not in broken.split('class="editor-preview__body"')[1]
    problems = broken.split('class="editor-preview__problems"')[1].split("</ul>")[0]
    assert (
        'Line 3: the care card heading must be in straight double quotes: !!! urgent "Get help today if you:"'
        in problems
    )
    assert "Line 6: the citation [@ label-magnesium] has a space inside its brackets" in problems
    # The problems come first, then the rendering.
    assert broken.index("Fix before saving") < broken.index('class="editor-preview__body"')


def test_the_preview_knows_the_references_and_blocks_in_the_database(
    staff: Client, loaded_site: None
) -> None:
    html = preview(staff, "Cited.[@ali2009]\n\n{{ block drip-emergency }}\n\nCited.[@made-up-2024]\n")
    assert 'class="care-card care-card--emergency"' in html  # the block put in, as on the page
    assert "Line 5: [@made-up-2024] is not a reference" in html
    assert "ali2009" not in html.split("Fix before saving")[1].split("</ul>")[0]


def test_problems_in_the_preview_are_escaped(staff: Client) -> None:
    response = staff.post(PREVIEW, {"content": '!!! <b onclick=x>urgent "Go"\n    x\n'})
    assert "<b onclick" not in response.content.decode()


def test_public_pages_and_the_admin_editor_load_the_same_care_card_stylesheet(
    staff: Client, loaded_site: None
) -> None:
    page = staff.get("/side-effects/").content.decode()
    assert 'href="/static/css/care-cards.css"' in page
    form = staff.get("/admin/articles/article/add/").content.decode()
    assert 'href="/static/css/care-cards.css"' in form
    assert 'href="/static/css/body-editor.css"' in form
    # markdownx's own admin stylesheet restyles every heading in the preview: it is left out.
    assert "markdownx/admin/css" not in form
    assert "style=" not in form.split('class="markdownx"')[1].split("</textarea>")[0]


def change_form(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def assert_writing_aids(html: str, *, blocks: bool) -> None:
    aids = html.split('class="writing-aids"')[1]
    assert '!!! urgent "Get help from a doctor today if you:"' in aids  # the guide
    assert "[@key]" in aids and "[side effects](/side-effects/)" in aids
    reference = Reference.objects.get(key="ali2009")
    assert f"[@{reference.key}]" in aids and reference.title[:40] in aids
    # The blocks a body may use, by name and title; none on a shared block's own form (it may not use one).
    assert ("Shared blocks (" in aids) is blocks
    if blocks:
        listed = aids.split("Shared blocks (")[1]
        assert "{{ block drip-emergency }}" in listed
        assert SharedBlock.objects.get(slug="drip-emergency").title in listed
    # The body comes right before its aids.
    assert html.index('name="body"' if 'name="body"' in html else 'name="answer"') < html.index(
        'class="writing-aids"'
    )


def test_writing_aids_beside_the_body_of_pages_answers_and_blocks(staff: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    question = Question.objects.get(slug="is-ivmt-proven")
    block = SharedBlock.objects.get(slug="drip-emergency")
    assert_writing_aids(change_form(staff, f"/admin/articles/article/{article.pk}/change/"), blocks=True)
    assert_writing_aids(change_form(staff, "/admin/articles/article/add/"), blocks=True)
    assert_writing_aids(change_form(staff, f"/admin/faq/question/{question.pk}/change/"), blocks=True)
    # A shared block cannot use another: its form lists none.
    block_form = change_form(staff, f"/admin/articles/sharedblock/{block.pk}/change/")
    assert_writing_aids(block_form, blocks=False)


def test_writing_aids_beside_proposed_changes(staff: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    question = Question.objects.get(slug="is-ivmt-proven")
    page_changes = change_form(staff, f"/admin/articles/pagerevision/add/?article={article.pk}")
    assert_writing_aids(page_changes, blocks=True)
    answer_changes = change_form(staff, f"/admin/faq/answerrevision/add/?live_question={question.pk}")
    assert_writing_aids(answer_changes, blocks=True)


def test_the_preview_measures_as_the_save_does(staff: Client, loaded_site: None) -> None:
    for article in Article.objects.all():
        html = preview(staff, article.body)
        assert f"Reading grade {article.reading_grade} (target: 8 or lower)" in html, article.slug
