"""`exportcontent`: the database back to content files, byte-stable, never losing a file or a file edit."""

import os
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Disclaimer, GlossaryTerm, Reference
from faq.models import Category, Question
from tests.conftest import CONTENT_MODELS, EXAMPLE_URL, TOPIC_BODY, database_snapshot

pytestmark = pytest.mark.django_db

Load = Callable[..., str]


def export(root: Path | None = None) -> str:
    """Run `exportcontent` (into `root`, or the default folder); returns what it printed."""
    out = StringIO()
    args = ["--output", str(root)] if root is not None else []
    call_command("exportcontent", *args, stdout=out, stderr=out)
    return out.getvalue()


def failed_export(root: Path, match: str = "nothing was exported") -> str:
    err = StringIO()
    with pytest.raises(CommandError, match=match):
        call_command("exportcontent", "--output", str(root), stdout=StringIO(), stderr=err)
    return err.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    """Every content file under `root` (the README is documentation, not content)."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "README.md"
    }


def content_values() -> dict[str, dict[str, dict]]:
    return {
        model.__name__: {record.content_key: record.content_values() for record in model.objects.all()}
        for model in CONTENT_MODELS
    }


def test_exporting_freshly_loaded_content_reproduces_it_byte_for_byte(
    loaded_site: None, site_content: Path, tmp_path: Path
) -> None:
    output = export(tmp_path / "export")
    exported = tree(tmp_path / "export")
    original = tree(site_content)
    assert sorted(exported) == sorted(original)
    for name, data in original.items():
        assert exported[name] == data, f"{name} is not in canonical form"
    assert "no record" not in output


def test_loading_an_export_changes_nothing(loaded_site: None, tmp_path: Path, load: Load) -> None:
    export(tmp_path / "export")
    before = database_snapshot()
    output = load(tmp_path / "export")
    assert database_snapshot() == before  # every field, `updated` and the fingerprints included
    assert "Nothing changed" in output
    assert output.count("0 created, 0 updated") == len([m for m in CONTENT_MODELS if m.objects.exists()])


def test_an_admin_edit_is_exported_and_the_next_load_is_a_no_op(
    loaded_site: None, site_content: Path, load: Load
) -> None:
    article = Article.objects.get(slug="does-it-work")
    article.body = article.body.replace(
        "## The short answer\n", "## The short answer\n\nEdited in the admin.\n", 1
    )
    article.save()
    Reference.objects.filter(key="ali2009").update(title="A title changed in the admin: with a colon")
    output = export(site_content)
    articles = Article.objects.count()
    assert f"articles: {articles} record(s); files: 1 written, {articles - 1} unchanged" in output
    assert f"references: {Reference.objects.count()} record(s); files: 1 written, 0 unchanged" in output
    assert (
        "## The short answer\n\nEdited in the admin.\n"
        in (site_content / "articles" / "does-it-work.md").read_text()
    )
    references = (site_content / "site" / "references.yaml").read_text()
    assert 'title: "A title changed in the admin: with a colon"' in references

    before = database_snapshot()
    output = load(site_content)
    assert database_snapshot() == before
    assert "Nothing changed" in output


def test_a_record_made_in_the_admin_gets_a_file_and_a_deleted_records_file_is_kept(
    minimal_content: Path, load: Load
) -> None:
    load(minimal_content)
    Article.objects.create(
        slug="new-page",
        title="Made in the admin",
        summary="A page made in the admin.",
        main_message="Talk to your doctor first.",
        body=TOPIC_BODY.format(body="Admin text."),
        status="draft",
        last_reviewed="2026-11-26",
        next_review_due="2027-11-26",
        changes=[{"date": "2026-11-26", "summary": "First version of this page."}],
    )
    Reference.objects.create(
        key="new2020", authors="New A", title="A new study", publisher="P", year=2020, url=EXAMPLE_URL
    )
    Question.objects.filter(slug="is-it-proven").delete()
    GlossaryTerm.objects.filter(slug="placebo").delete()
    answer = (minimal_content / "faq" / "is-it-proven.md").read_bytes()

    output = export(minimal_content)

    new_page = (minimal_content / "articles" / "new-page.md").read_text()
    assert new_page.startswith(
        "---\ntitle: Made in the admin\nsummary: A page made in the admin.\n"
        "main_message: Talk to your doctor first.\n"
    )
    assert "changes:\n  - date: 2026-11-26\n    summary: First version of this page.\n---\n" in new_page
    assert "- key: new2020\n" in (minimal_content / "site" / "references.yaml").read_text()
    assert (minimal_content / "faq" / "is-it-proven.md").read_bytes() == answer
    assert "faq/is-it-proven.md: no record in the database" in output
    assert "- term: placebo\n" in (minimal_content / "site" / "glossary.yaml").read_text()
    assert "glossary.yaml: entry 'placebo' has no record" in output

    new = Article.objects.get(slug="new-page")
    assert (
        new.source_path.endswith("content/articles/new-page.md")
        and new.fingerprint() == new.loaded_fingerprint
    )
    assert "articles: 0 created, 0 updated, 3 unchanged" in load(minimal_content)


def test_awkward_values_come_back_from_the_files_exactly(
    minimal_content: Path, tmp_path: Path, load: Load
) -> None:
    load(minimal_content)
    summary = 'Is it safe? Yes: "mostly" — #1 for ünïcödé readers, & *no* [brackets] {braces} 12:30 '
    summary += "z" * (160 - len(summary))
    assert len(summary) == 160
    Article.objects.filter(slug="home").update(
        title="IVMT: what you need to know",
        summary=summary,
        changes=[
            {"date": "2026-12-01", "summary": "yes"},
            {"date": "2026-11-26", "summary": "First version: a start. # not a comment"},
        ],
        prices_checked="2026-11-30",
    )
    Article.objects.filter(slug="about").update(title="[Draft] about this site")
    Question.objects.filter(slug="is-it-proven").update(question="yes")
    Reference.objects.filter(key="ali2009").update(
        title="The \"Myers' cocktail\" study #1: it's 'quoted'",
        authors="@someone, `ticks` & others",
        publisher="null",
        year=None,
        url="",
        link_note="No: it is 'offline' #1",
        details="2026-11-26",
    )
    GlossaryTerm.objects.filter(slug="placebo").update(
        definition="> A dummy treatment: nothing active, 100% sugar!",
        aliases=["dummy drip", "sugar pill: fake", "[sham]", "yes, no"],
    )
    Category.objects.filter(slug="basics").update(title="12:30", order=0)
    Disclaimer.objects.update(title="Médical disclaimer — ✓ 日本語 -- not advice:")
    expected = content_values()

    export(tmp_path / "export")
    home = (tmp_path / "export" / "articles" / "home.md").read_text()
    front = home.split("---\n")[1]
    summary_line = next(line for line in front.splitlines() if line.startswith("summary: "))
    assert len(summary_line) > 170 and front.count("\n") == 12  # double-quoted, on one line: never wrapped
    assert "last_reviewed: 2026-11-26\n" in home and "prices_checked: 2026-11-30\n---\n" in home
    assert (
        'aliases: [dummy drip, "sugar pill: fake", "[sham]", "yes, no"]'
        in (tmp_path / "export" / "site" / "glossary.yaml").read_text()
    )

    for model in reversed(CONTENT_MODELS):
        model.objects.all().delete()
    load(tmp_path / "export")
    assert content_values() == expected


def test_a_value_the_files_tidy_is_named_and_the_next_load_takes_the_tidy_form(
    minimal_content: Path, load: Load
) -> None:
    load(minimal_content)
    GlossaryTerm.objects.filter(slug="placebo").update(definition="A dummy treatment.\nNothing active.")
    output = export(minimal_content)
    assert "glossary term 'placebo': definition reads back" in output
    assert "glossary terms: 0 created, 1 updated" in load(minimal_content)
    assert GlossaryTerm.objects.get(slug="placebo").definition == "A dummy treatment. Nothing active."
    assert "reads back" not in export(minimal_content)


def test_an_export_with_nothing_changed_writes_nothing(
    minimal_content: Path, load: Load, settings, tmp_path: Path
) -> None:
    settings.CONTENT_DIR = tmp_path / "default"
    load(minimal_content)
    assert "Exported to" in export()  # the default folder: settings.CONTENT_DIR
    files = [path for path in (tmp_path / "default").rglob("*") if path.is_file()]
    for path in files:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = database_snapshot()
    output = export()
    assert "Nothing changed" in output
    assert "files: 0 written" in output and "1 written" not in output
    assert all(path.stat().st_mtime_ns == 1_000_000_000 for path in files)
    assert database_snapshot() == before
    assert not list((tmp_path / "default").rglob("*.tmp"))


def test_a_file_edit_that_was_never_loaded_is_not_overwritten(minimal_content: Path, load: Load) -> None:
    load(minimal_content)
    Article.objects.filter(slug="home").update(title="Home, edited in the admin")
    about = minimal_content / "articles" / "about.md"
    about.write_text(about.read_text().replace("Who we are.", "Who we are, edited in the file."))
    references = minimal_content / "site" / "references.yaml"
    references.write_text(references.read_text().replace("A pilot study", "A pilot study, edited"))
    before = tree(minimal_content)

    message = failed_export(minimal_content)

    assert "article 'about'" in message and "reference 'ali2009'" in message
    assert "Load it first (loadcontent)" in message
    assert tree(minimal_content) == before  # the admin edit to home was not written either
    home = Article.objects.get(slug="home")
    assert home.fingerprint() != home.loaded_fingerprint  # edited since the load


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda: GlossaryTerm.objects.filter(slug="placebo").update(aliases=["BP"]), "too short"),
        (lambda: GlossaryTerm.objects.filter(slug="placebo").update(term="Sugar pill"), "another record"),
        (lambda: Article.objects.filter(slug="about").update(slug="../about"), "slug is its file name"),
        (lambda: Question.objects.update(answer="See [the page](/missing/)."), "/missing/"),
    ],
)
def test_an_export_that_would_not_load_writes_nothing(
    minimal_content: Path, tmp_path: Path, load: Load, edit: Callable[[], object], message: str
) -> None:
    load(minimal_content)
    edit()
    before = database_snapshot()
    assert message in failed_export(tmp_path / "export")
    assert not (tmp_path / "export").exists()
    assert database_snapshot() == before
