"""The decision aid: its option table is content like any other (a file, checked by the loader, edited in the
admin with history, exported), the options page shows it with one reference list, and the summary a reader
builds from the form is made from the address alone, stores nothing and is never cached."""

import re
from collections.abc import Callable
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.content_files.reading import read_content
from articles.decision_aid import ALWAYS_SHOWN, MATTERS, QUESTIONS_TO_ASK
from articles.models import OPTIONS_SLUG, Article, DecisionOption, Reference
from articles.registry import paths_the_site_serves
from articles.rendering.table_cells import cell_problems
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

OPTIONS_FILE = Path("decision-aid") / "options.yaml"
SUMMARY = "/options/summary/"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def option_entries(root: Path) -> list[dict]:
    return yaml.safe_load((root / OPTIONS_FILE).read_text())


def write_entries(root: Path, entries: list[dict]) -> None:
    (root / OPTIONS_FILE).write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True))


def problems_in(root: Path) -> list[str]:
    return [str(error) for error in read_content(root).errors]


def test_the_real_table_answers_every_question_for_every_option(site_content: Path) -> None:
    entries = option_entries(site_content)
    assert len(entries) >= 5  # IVMT, supplements, preventive medicines, an attack plan, carrying on as now
    fields = [question.field for question in DecisionOption.QUESTIONS]
    for entry in entries:
        assert all(str(entry[field]).strip() for field in fields), entry["slug"]
    assert problems_in(site_content) == []


def test_a_missing_or_empty_answer_is_refused_naming_the_option_and_question(site_content: Path) -> None:
    entries = option_entries(site_content)
    del entries[0]["cost"]
    entries[1]["side_effects"] = ""
    write_entries(site_content, entries)
    problems = problems_in(site_content)
    first, second = entries[0]["slug"], entries[1]["slug"]
    assert any(f"({first!r}): missing required key(s) 'cost'" in p for p in problems), problems
    assert any(f"({second!r})" in p and "'side_effects'" in p for p in problems), problems
    assert all(str(OPTIONS_FILE) in p for p in problems), problems


def test_an_uncited_figure_or_a_percentage_is_refused(site_content: Path) -> None:
    entries = option_entries(site_content)
    entries[0]["effort"] = "About 8 visits a year."
    entries[1]["works"] = "It helps 50% of people.[@ali2009]"
    write_entries(site_content, entries)
    problems = problems_in(site_content)
    assert any("'effort' gives a figure" in p and "without a source" in p for p in problems), problems
    assert any("'works' gives a percentage" in p and '"X in 100"' in p for p in problems), problems


def test_a_citation_of_an_unknown_reference_is_refused(site_content: Path) -> None:
    entries = option_entries(site_content)
    entries[2]["sure"] = "Two trials.[@no-such-study]"
    write_entries(site_content, entries)
    problems = problems_in(site_content)
    assert any(
        f"{entries[2]['slug']!r}: 'sure': cites 'no-such-study', which is not in site/references.yaml" in p
        for p in problems
    ), problems


def test_a_broken_table_changes_nothing(
    site_content: Path, load: Callable[..., str], loaded_site: None
) -> None:
    entries = option_entries(site_content)
    entries[0]["cost"] = "Costs 100 dollars."
    entries[1]["name"] = "A new name"
    write_entries(site_content, entries)
    before = database_snapshot()
    with pytest.raises(CommandError, match="nothing was loaded"):
        load(site_content)
    assert database_snapshot() == before


def test_a_changed_option_file_loads_and_exports_back(
    site_content: Path, load: Callable[..., str], loaded_site: None, tmp_path: Path
) -> None:
    entries = option_entries(site_content)
    entries[0]["living"] = "A changed cell, with no figure."
    write_entries(site_content, entries)
    assert "decision aid options: 0 created, 1 updated" in load(site_content)
    assert DecisionOption.objects.get(slug=entries[0]["slug"]).living == "A changed cell, with no figure."
    call_command("exportcontent", "--output", str(tmp_path / "out"), stdout=StringIO())
    assert option_entries(tmp_path / "out") == entries


def test_the_options_page_shows_every_option_on_every_question_with_one_reference_list(
    client: Client, loaded_site: None
) -> None:
    article = Article.objects.get(slug=OPTIONS_SLUG)
    options = list(DecisionOption.objects.all())
    html = client.get(f"/{OPTIONS_SLUG}/").content.decode()
    table = html[html.index('id="compare"') : html.index('id="what-matters"')]
    for question in DecisionOption.QUESTIONS:
        assert f'<th scope="rowgroup" colspan="2">{question.label}</th>' in table
    for option in options:
        assert table.count(f'<th scope="row">{option.name}</th>') == len(DecisionOption.QUESTIONS)
    # The table's citations continue the article's numbering, and the one list holds both: every citation
    # on the page, in the body or the table, carries its key's place in that list.
    listed = re.findall(r'<li id="ref-([^"]+)"', html)
    assert set(listed) == set(article.reference_keys) | cited_by(options)
    assert listed[: len(article.reference_keys)] == article.reference_keys
    main = html[html.index("<main") : html.index('id="references"')]
    citations = re.findall(r'class="citation" href="#ref-([^"]+)">\[(\d+)\]', main)
    assert citations and all(listed.index(key) + 1 == int(number) for key, number in citations)
    assert "[@" not in table
    # The form comes before the certification section, which ends the body.
    assert html.index('id="what-matters"') < html.index('id="about-this-comparison"')
    assert f'<form method="get" action="{SUMMARY}">' in html


def cited_by(options: list[DecisionOption]) -> set[str]:
    return {key for option in options for key in option.cited_keys()}


def test_the_summary_shows_what_the_reader_picked_and_ignores_anything_else(
    client: Client, loaded_site: None
) -> None:
    ivmt = DecisionOption.objects.get(slug="ivmt")
    query = (
        "matters=cost&matters=%3Cscript%3E&option=ivmt&option=nope&leaning=ivmt"
        f"&ask={QUESTIONS_TO_ASK[0].value}&ask=made-up"
    )
    response = client.get(f"{SUMMARY}?{query}")
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "What it costs me" in main and QUESTIONS_TO_ASK[0].label in main
    assert "<script" not in main and "made-up" not in main and "nope" not in main
    assert f"I lean towards now:</strong> {ivmt.name}." in main
    cost = ivmt.cells_html["cost"].split("[@")[0]
    assert cost in main  # the IVMT cost cell, beside the benefits and harms that are always shown
    shown = re.findall(r'<th scope="rowgroup" colspan="2">([^<]+)</th>', main)
    assert shown == ["How well it works", "How sure we are", "Side effects", "Cost"]
    on_screen, on_paper = on_screen_and_paper(main)
    assert on_screen.count('<th scope="row">') == len(shown)  # one option picked
    assert on_paper.count('<th scope="col">') == 2  # the question, then the option's column
    assert 'id="disclaimer"' in html
    assert 'name="robots" content="noindex"' in html
    assert "no-store" in response["Cache-Control"]


def on_screen_and_paper(html: str) -> tuple[str, str]:
    """The summary's table as the screen shows it (grouped by question) and as paper does (side by side)."""
    screen = html[html.index('class="summary__on-screen"') : html.index('class="side-by-side')]
    paper = html[html.index('class="side-by-side') : html.index("Questions I want to ask")]
    return screen, paper


def test_an_empty_summary_shows_every_options_benefits_harms_and_the_aids_certification(
    client: Client, loaded_site: None
) -> None:
    html = client.get(SUMMARY).content.decode()
    shown = re.findall(r'<th scope="rowgroup" colspan="2">([^<]+)</th>', html)
    assert shown == ["How well it works", "How sure we are", "Side effects"]
    on_screen, on_paper = on_screen_and_paper(html)
    assert on_screen.count('<th scope="row">') == 3 * DecisionOption.objects.count()
    assert on_paper.count("<td>") == 3 * DecisionOption.objects.count()  # the same cells, side by side
    assert 'id="about-this-comparison"' in html  # publication date, updates, uncertainty, funding


def test_reading_the_aid_and_building_summaries_writes_nothing(client: Client, loaded_site: None) -> None:
    before = database_snapshot()
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/{OPTIONS_SLUG}/")
        for choice in MATTERS:
            client.get(f"{SUMMARY}?matters={choice.value}&option=ivmt&leaning=not-sure")
    assert [q["sql"] for q in queries if WRITES.match(q["sql"])] == []
    assert database_snapshot() == before


def option_form(option: DecisionOption, **changes: str) -> dict[str, str]:
    values = {
        "name": option.name,
        "slug": option.slug,
        "order": str(option.order),
        "last_reviewed": option.last_reviewed.isoformat(),
        "next_review_due": option.next_review_due.isoformat(),
        **{field: getattr(option, field) for field in DecisionOption.CITING_FIELDS},
    }
    return {**values, **changes}


def test_the_admin_refuses_an_uncited_figure_and_an_unknown_reference(
    reviewer: Client, loaded_site: None
) -> None:
    option = DecisionOption.objects.get(slug="ivmt")
    url = f"/admin/articles/decisionoption/{option.pk}/change/"
    response = reviewer.post(url, option_form(option, cost="About 300 dollars.", sure="Sure.[@made-up]"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "without a source" in html and "made-up" in html
    assert DecisionOption.objects.get(pk=option.pk).cost == option.cost


def test_a_reviewer_changes_an_option_with_history_and_the_page_shows_it(
    reviewer: Client, loaded_site: None
) -> None:
    option = DecisionOption.objects.get(slug="ivmt")
    url = f"/admin/articles/decisionoption/{option.pk}/change/"
    response = reviewer.post(url, option_form(option, living="Weekly visits take *time*."))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Version.objects.get_for_object(option).exists()
    assert "Weekly visits take <em>time</em>." in Client().get(f"/{OPTIONS_SLUG}/").content.decode()


def test_an_editor_may_read_options_but_not_change_them(editor: Client, loaded_site: None) -> None:
    option = DecisionOption.objects.get(slug="ivmt")
    url = f"/admin/articles/decisionoption/{option.pk}/change/"
    assert editor.get(url).status_code == 200
    assert editor.post(url, option_form(option, living="Changed.")).status_code == 403


def test_every_choice_speaks_to_questions_the_table_asks() -> None:
    for field in (*ALWAYS_SHOWN, *(field for choice in MATTERS for field in choice.fields)):
        assert field in DecisionOption.CITING_FIELDS, field


def test_a_cell_saved_before_its_question_existed_is_rendered_when_shown(
    client: Client, loaded_site: None
) -> None:
    DecisionOption.objects.filter(slug="ivmt").update(
        cells_html={}
    )  # as a migration adding a question leaves it
    html = client.get(f"/{OPTIONS_SLUG}/").content.decode()
    assert DecisionOption.objects.get(slug="ivmt").name in html and "[@" not in html


def test_a_cited_reference_cannot_be_deleted_in_the_admin(admin_client: Client, loaded_site: None) -> None:
    cited = DecisionOption.objects.get(slug="ivmt").cited_keys()[0]
    reference = Reference.objects.get(key=cited)
    assert admin_client.get(f"/admin/articles/reference/{reference.pk}/delete/").status_code == 403
    assert (
        admin_client.post(f"/admin/articles/reference/{reference.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Reference.objects.filter(key=cited).exists()


def test_a_reference_gone_from_the_database_is_not_shown_as_raw_text(
    client: Client, loaded_site: None
) -> None:
    key = DecisionOption.objects.get(slug="ivmt").cited_keys()[0]
    Reference.objects.filter(key=key).delete()  # as a database edit outside the admin could
    html = client.get(f"/{OPTIONS_SLUG}/").content.decode()
    assert f"[@{key}]" not in html


def test_the_options_page_must_end_with_its_certification_citing_nothing(site_content: Path) -> None:
    page = site_content / "articles" / f"{OPTIONS_SLUG}.md"
    text = page.read_text()
    page.write_text(text.replace("## About this comparison", "## About this page"))
    assert any("must end with a section '## About this comparison'" in p for p in problems_in(site_content))
    page.write_text(text.rstrip() + " See the trial.[@ali2009]\n")
    assert any("'## About this comparison' may not cite a source" in p for p in problems_in(site_content))


def test_the_summary_address_leaves_the_options_page_to_its_article() -> None:
    served = paths_the_site_serves()
    assert OPTIONS_SLUG not in served
    assert {"preview", "editor", "search", "faq"} <= served  # deeper routes still reserve their first segment


def test_an_options_slug_is_fixed_once_saved(reviewer: Client, loaded_site: None) -> None:
    option = DecisionOption.objects.get(slug="ivmt")
    url = f"/admin/articles/decisionoption/{option.pk}/change/"
    response = reviewer.post(url, option_form(option, slug="renamed"))
    assert response.status_code == 302
    assert DecisionOption.objects.filter(slug="ivmt").exists()


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("About 8 visits a year.", "without a source"),
        ("It helps 50 percent of people.[@ali2009]", "percentage"),
        ("- one item in a list", "one short paragraph"),
        ("One line.\nAnother line.", "one short paragraph"),
        ("[a link](https://example.org/[@ali2009]) in a cell", "not inside a link or code"),
    ],
)
def test_cell_rules_name_the_problem(cell: str, problem: str) -> None:
    assert any(problem in message for message in cell_problems(cell)), cell_problems(cell)


def test_names_with_digits_are_not_figures() -> None:
    assert cell_problems("Vitamin B2, B12 or coenzyme Q10 pills.") == []


MALFORMED_CITATION = "Two trials.[@ ahs2019-position]"
MALFORMED_MESSAGE = (
    "the citation [@ ahs2019-position] has a space inside its brackets: write [@ahs2019-position]"
)


def test_a_malformed_citation_in_a_cell_is_refused_by_the_loader(site_content: Path) -> None:
    entries = option_entries(site_content)
    entries[2]["sure"] = MALFORMED_CITATION
    write_entries(site_content, entries)
    problems = problems_in(site_content)
    assert any(f"{entries[2]['slug']!r}: 'sure': {MALFORMED_MESSAGE}" in p for p in problems), problems


def test_a_malformed_citation_in_a_cell_is_refused_by_the_admin(reviewer: Client, loaded_site: None) -> None:
    option = DecisionOption.objects.get(slug="ivmt")
    url = f"/admin/articles/decisionoption/{option.pk}/change/"
    response = reviewer.post(url, option_form(option, sure=MALFORMED_CITATION))
    assert response.status_code == 200
    assert MALFORMED_MESSAGE[1:] in unescape(response.content.decode())
    assert DecisionOption.objects.get(pk=option.pk).sure == option.sure
