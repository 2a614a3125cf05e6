"""What keeps `loadcontent` fast at thousands of pages, without changing what it stores or checks.

Each body is rendered once per load (to check its links, and that rendering is what gets stored), a body
already stored as its file has it is not rendered at all, many bodies are rendered across processes, and new
records are inserted in bulk but still recorded in history.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.content_files.sync import LOAD_COMMENT
from articles.models import Article, GlossaryTerm
from articles.rendering import bodies
from articles.rendering.renderer import render_markdown
from articles.rendering.site_links import _LinkCollector, internal_links, link_targets
from articles.rerendering import rerender_bodies
from faq.models import Question
from tests.conftest import article_file, database_snapshot, question_file
from tests.xss_corpus import XSS_VECTORS

pytestmark = pytest.mark.django_db

Load = Callable[..., str]


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Markdown source rendered from now on (in this process)."""
    seen: list[str] = []

    def counting(text: str) -> str:
        seen.append(text)
        return render_markdown(text)

    monkeypatch.setattr(bodies, "render_markdown", counting)
    return seen


def stored_bodies() -> dict[str, tuple]:
    fields = (
        "body_html",
        "reference_keys",
        "reading_grade",
        "smog_index",
        "key_points_grade",
        "contents",
        "site_links",
    )
    return {a.slug: tuple(getattr(a, name) for name in fields) for a in Article.objects.all()} | {
        q.slug: (q.answer_html, q.reference_keys, q.reading_grade, q.site_links)
        for q in Question.objects.all()
    }


def test_a_full_load_renders_each_body_once(minimal_content: Path, load: Load, renders: list[str]) -> None:
    load(minimal_content)
    assert len(renders) == Article.objects.count() + Question.objects.count() + 1  # + the disclaimer


def test_an_unchanged_reload_renders_nothing(minimal_content: Path, load: Load, renders: list[str]) -> None:
    load(minimal_content)
    renders.clear()
    before = database_snapshot()
    assert "Nothing changed" in load(minimal_content)
    assert renders == []
    assert database_snapshot() == before


def test_a_changed_file_updates_exactly_its_record_and_renders_only_it(
    minimal_content: Path, load: Load, renders: list[str]
) -> None:
    load(minimal_content)
    before = {a.slug: (a.updated, a.body_html) for a in Article.objects.all()}
    renders.clear()
    (minimal_content / "articles" / "about.md").write_text(
        article_file("About this site", "Who we are, now. See the [home page](/).", topic=False)
    )
    output = load(minimal_content)
    assert "articles: 0 created, 1 updated, 1 unchanged" in output
    assert len(renders) == 1 and "Who we are, now." in renders[0]
    after = {a.slug: (a.updated, a.body_html) for a in Article.objects.all()}
    assert after["home"] == before["home"]
    assert after["about"] != before["about"] and "Who we are, now." in after["about"][1]


def test_a_broken_link_in_an_unchanged_body_is_still_reported(minimal_content: Path, load: Load) -> None:
    """Checking links from the stored HTML finds the same problems: here the link target's file is gone."""
    load(minimal_content)
    (minimal_content / "articles" / "about.md").unlink()
    with pytest.raises(Exception, match="nothing was loaded"):
        load(minimal_content)


def test_each_body_stores_the_site_links_of_its_html(site_content: Path, load: Load) -> None:
    """What the loader checks an unchanged body's links against, instead of reading its HTML."""
    load(site_content)
    records = [*Article.objects.all(), *Question.objects.all()]
    for record in records:
        assert record.site_links == internal_links(getattr(record, record.HTML_FIELD)), record
    assert sum(len(record.site_links) for record in records) > 20


def test_a_body_stored_without_its_links_is_rendered_to_find_them(
    minimal_content: Path, load: Load, renders: list[str]
) -> None:
    load(minimal_content)
    Article.objects.filter(slug="home").update(site_links=None)  # as a row stored before they were kept
    renders.clear()
    (minimal_content / "articles" / "about.md").unlink()  # home links to it
    with pytest.raises(Exception, match="nothing was loaded"):
        load(minimal_content)
    assert len(renders) == 1


def test_rendering_across_processes_stores_what_a_save_stores(
    site_content: Path, load: Load, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bodies, "PARALLEL_MIN_JOBS", 1)
    monkeypatch.setattr(bodies, "worker_count", lambda: 2)
    load(site_content)
    loaded = stored_bodies()
    for record in [*Article.objects.all(), *Question.objects.all()]:
        record.save()  # renders in this process, as an admin save does
    assert stored_bodies() == loaded


def test_rerendering_all_bodies_stores_what_a_save_stores(site_content: Path, load: Load) -> None:
    load(site_content)
    loaded = stored_bodies()
    GlossaryTerm.objects.all().delete()
    assert rerender_bodies() == Article.objects.count() + Question.objects.count()
    assert not any("glossary-term" in a.body_html for a in Article.objects.all())
    rerendered = stored_bodies()
    for record in [*Article.objects.all(), *Question.objects.all()]:
        record.save()
    assert stored_bodies() == rerendered != loaded


def test_records_inserted_in_bulk_are_in_history(minimal_content: Path, load: Load) -> None:
    load(minimal_content)
    for record in [*Article.objects.all(), *Question.objects.all()]:
        versions = Version.objects.get_for_object(record)
        assert [v.revision.comment for v in versions] == [LOAD_COMMENT]
        assert versions[0].field_dict[record.SOURCE_FIELD] == getattr(record, record.SOURCE_FIELD)


@pytest.mark.parametrize(
    "markdown",
    [
        *(markdown for _name, markdown in XSS_VECTORS),
        '[a](/x/ "t>itle") [b](/y/?a=1&b=2) <a href=/z/>z</a> [c](https://example.org/)',
    ],
)
def test_link_targets_read_sanitized_html_as_the_html_parser_does(markdown: str) -> None:
    html = render_markdown(markdown)
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    assert link_targets(html) == collector.hrefs


def test_link_targets_of_the_real_content_match_the_html_parser() -> None:
    for path in sorted(Path(settings.CONTENT_DIR).glob("*/*.md")):
        html = render_markdown(path.read_text())
        collector = _LinkCollector()
        collector.feed(html)
        collector.close()
        assert link_targets(html) == collector.hrefs, path


def test_an_unchanged_reload_asks_the_same_queries_however_many_answers(
    minimal_content: Path, load: Load
) -> None:
    def reload_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert "Nothing changed" in load(minimal_content)
        return len(queries)

    load(minimal_content)
    one_answer = reload_queries()
    for number in range(5):
        (minimal_content / "faq" / f"more-{number}.md").write_text(
            question_file(f"Question {number}?", "No.")
        )
    load(minimal_content)
    assert reload_queries() == one_answer
