"""The public change log in the admin: dated lines to edit, a readable list when read-only, one set of
rules."""

import pytest
from django.core.exceptions import ValidationError
from django.forms import ValidationError as FormError
from django.test import Client
from django.utils.html import escape

from articles.change_log import (
    MAX_SUMMARY_LENGTH,
    change_log_html,
    format_change_log,
    parse_change_log,
    validate_change_log,
)
from articles.models import Article
from tests.conftest import article_admin_form

pytestmark = pytest.mark.django_db

LOG = [
    {"date": "2026-12-01", "summary": "Added a warning about <b>dizziness</b>."},
    {"date": "2026-11-26", "summary": "First version of this page."},
]


def test_every_stored_change_log_round_trips_through_the_text(loaded_site: None) -> None:
    assert parse_change_log(format_change_log(LOG)) == LOG
    for article in Article.objects.all():
        assert parse_change_log(format_change_log(article.changes)) == article.changes, article.slug


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-12-01: Fine.\n\n2026-11-31: Not a day.", "Line 3: start with a date written YYYY-MM-DD"),
        ("2026-12-01: Fine.\n2026-11-26:", "Line 2: after the date and colon, say in one line what changed."),
        (
            f"2026-12-01: {'x' * (MAX_SUMMARY_LENGTH + 1)}",
            f"Line 1: 'summary' is {MAX_SUMMARY_LENGTH + 1} characters long; "
            f"the limit is {MAX_SUMMARY_LENGTH}.",
        ),
        ("2026-11-26: Old.\n2026-12-01: New.", "Put the newest change first."),
        ("\n", "Add at least one line"),
    ],
)
def test_a_wrong_line_is_named(text: str, message: str) -> None:
    with pytest.raises(FormError) as error:
        parse_change_log(text)
    assert message in error.value.messages[0]


def test_the_stored_log_and_the_typed_lines_share_the_entry_rules() -> None:
    too_long = [{"date": "2026-12-01", "summary": "x" * (MAX_SUMMARY_LENGTH + 1)}]
    with pytest.raises(ValidationError, match="entry 1: 'summary' is 201 characters long"):
        validate_change_log(too_long)


def test_an_over_long_line_is_refused_by_the_form_with_its_line(
    admin_client: Client, loaded_site: None
) -> None:
    article = Article.objects.get(slug="side-effects")
    changes = f"2026-12-01: Added a warning.\n2026-11-26: {'y' * 250}"
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_admin_form(changes=changes)
    )
    assert response.status_code == 200
    assert "Line 2: &#x27;summary&#x27; is 250 characters long" in response.content.decode()


def test_read_only_the_change_log_is_a_list_newest_first(editor: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    Article.objects.filter(pk=article.pk).update(changes=LOG)
    html = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="changes"' not in html  # an Editor reads a published page, not edits it
    assert '"summary":' not in html and "[{" not in html
    first = (
        '<li><time datetime="2026-12-01">2026-12-01</time>: '
        "Added a warning about &lt;b&gt;dizziness&lt;/b&gt;."
    )
    second = '<li><time datetime="2026-11-26">2026-11-26</time>: First version of this page.</li>'
    assert first in html and second in html
    assert html.index(first) < html.index(second)


def test_editable_the_change_log_is_dated_lines(reviewer: Client, loaded_site: None) -> None:
    article = Article.objects.get(slug="side-effects")
    Article.objects.filter(pk=article.pk).update(changes=LOG)
    html = reviewer.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert escape(format_change_log(LOG)) in html
    assert 'class="change-log-list"' not in html


def test_the_list_is_sorted_newest_first_and_escaped() -> None:
    html = change_log_html(list(reversed(LOG)))
    assert html.index("2026-12-01") < html.index("2026-11-26")
    assert "<b>" not in html
    assert "No changes recorded yet." in change_log_html([])
