"""The readability gate: published pages at grade 8 or lower; key points and urgent messages at 6 or lower."""

import pytest

from articles.models import Article, DecisionOption, SharedBlock
from articles.rendering.citations import CITATION
from articles.rendering.readability import (
    CARE_CARD_GRADE_TARGET,
    KEY_POINTS_GRADE_TARGET,
    MAIN_GRADE_TARGET,
    SMOG_CEILING,
    page_readability,
)
from articles.rendering.renderer import render_markdown
from faq.models import Question

pytestmark = pytest.mark.django_db

# The bar, from the content standards (where the editor's preview reads it too).
MAIN_GRADE = MAIN_GRADE_TARGET
MAIN_SMOG = SMOG_CEILING
KEY_POINTS_GRADE = KEY_POINTS_GRADE_TARGET
CARE_CARD_GRADE = CARE_CARD_GRADE_TARGET


def test_every_published_page_meets_the_reading_levels(loaded_site: None) -> None:
    failures = []
    for article in Article.objects.published():
        if article.reading_grade > MAIN_GRADE or article.smog_index > MAIN_SMOG:
            failures.append(
                f"{article.slug}: main text grade {article.reading_grade}, SMOG {article.smog_index}"
            )
        if article.key_points_grade is not None and article.key_points_grade > KEY_POINTS_GRADE:
            failures.append(f"{article.slug}: key points grade {article.key_points_grade}")
        if article.care_card_grade is not None and article.care_card_grade > CARE_CARD_GRADE:
            failures.append(f"{article.slug}: care card grade {article.care_card_grade}")
    for question in Question.objects.published():
        if question.reading_grade > MAIN_GRADE or question.smog_index > MAIN_SMOG:
            failures.append(
                f"faq {question.slug}: grade {question.reading_grade}, SMOG {question.smog_index}"
            )
        if question.care_card_grade is not None and question.care_card_grade > CARE_CARD_GRADE:
            failures.append(f"faq {question.slug}: care card grade {question.care_card_grade}")
    for block in SharedBlock.objects.all():
        if block.reading_grade is not None and block.reading_grade > MAIN_GRADE:
            failures.append(f"block {block.slug}: grade {block.reading_grade}")
        if block.care_card_grade is not None and block.care_card_grade > CARE_CARD_GRADE:
            failures.append(f"block {block.slug}: care card grade {block.care_card_grade}")
    assert SharedBlock.objects.filter(care_card_grade__isnull=False).exists()  # the emergency cards
    assert failures == []


def test_topic_pages_measure_their_key_points_separately(loaded_site: None) -> None:
    for article in Article.objects.published().topics():
        assert article.key_points_grade is not None, article.slug


def test_hard_text_scores_above_the_bar_and_plain_text_below() -> None:
    hard = render_markdown(
        "Intravenous micronutrient administration necessitates comprehensive evaluation of "
        "contraindications, particularly cardiovascular pathology, nephrological insufficiency, "
        "and concomitant pharmacotherapy affecting neuromuscular transmission."
    )
    plain = render_markdown(
        "Talk to your doctor first. Tell them about your health. Bring a list of your pills."
    )
    assert page_readability(hard).main.grade > MAIN_GRADE
    assert page_readability(plain).main.grade < KEY_POINTS_GRADE


def test_list_items_headings_and_cards_are_measured_as_sentences() -> None:
    html = render_markdown(
        "## Key points\n\n- First short point\n- Second short point\n\n## Next\n\n"
        '!!! emergency "Call 911 now if you:"\n    - faint\n    - cannot breathe\n\nA closing line.[@x]'
    )
    reading = page_readability(html)
    assert reading.key_points is not None and reading.hardest_care_card is not None
    assert reading.main.grade < 6  # short items, not one long run-on sentence


def test_readability_is_stored_on_save() -> None:
    question = Question(slug="q", question="Q?", answer="Short words. Easy to read.", status="draft")
    question.category_id = None
    assert question.render_source(question.answer) and question.reading_grade is not None


def test_each_decision_aid_option_reads_at_grade_8_or_below(loaded_site: None) -> None:
    """The table's cells are measured per option (each cell is too short to measure alone), citations out."""
    grades = {}
    for option in DecisionOption.objects.all():
        html = " ".join(f"<p>{option.cells_html[field]}</p>" for field in DecisionOption.CITING_FIELDS)
        grades[option.slug] = page_readability(CITATION.sub("", html)).main.grade
    assert grades and max(grades.values()) <= MAIN_GRADE, grades
