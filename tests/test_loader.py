"""`loadcontent`: checks every file first, writes in one transaction, never overwrites an admin edit."""

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Version

from articles.content_files.reading import read_content
from articles.content_files.sync import Decision, Outcome, decide, decide_again
from articles.models import Article, Disclaimer, Reference
from articles.rendering import bodies
from faq.models import Question
from tests.conftest import REVIEWED, TOPIC_BODY, article_file, database_snapshot, question_file

pytestmark = pytest.mark.django_db

Load = Callable[..., str]


def failed_load(root: Path, match: str = "nothing was loaded") -> str:
    """Run a load that must fail; returns what it wrote to stderr."""
    err = StringIO()
    with pytest.raises(CommandError, match=match):
        call_command("loadcontent", "--content", str(root), stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_the_real_content_loads_and_is_valid(site_content: Path, load: Load) -> None:
    output = load(site_content)
    assert "Content loaded." in output
    assert Article.objects.published().topics().count() >= 7
    assert Question.objects.published().count() >= 12
    assert Disclaimer.objects.count() == 1
    for article in Article.objects.all():
        assert article.body_html.strip(), article.slug
        assert article.source_path == f"content/articles/{article.slug}.md"


def test_check_validates_and_writes_nothing(site_content: Path, load: Load) -> None:
    output = load(site_content, "--check")
    assert "All content files are valid" in output
    assert database_snapshot() == {name: [] for name in database_snapshot()}


def test_a_second_run_with_nothing_changed_writes_nothing(site_content: Path, load: Load) -> None:
    load(site_content)
    before = database_snapshot()
    output = load(site_content)
    assert database_snapshot() == before  # every field, the `updated` timestamps included
    assert "Nothing changed" in output
    assert "0 created, 0 updated" in output


def test_a_changed_file_updates_its_record(minimal_content: Path, load: Load) -> None:
    load(minimal_content)
    (minimal_content / "articles" / "about.md").write_text(
        article_file("About this site", "Who we are, now.")
    )
    output = load(minimal_content)
    assert "articles: 0 created, 1 updated, 1 unchanged" in output
    assert "Who we are, now." in Article.objects.get(slug="about").body_html


def test_an_admin_edit_is_kept_when_the_file_did_not_change(minimal_content: Path, load: Load) -> None:
    load(minimal_content)
    about = Article.objects.get(slug="about")
    about.body = "Edited in the admin."
    about.save()
    output = load(minimal_content)
    assert "kept admin edit: article 'about'" in output
    assert "articles/about.md" in output
    assert Article.objects.get(slug="about").body == "Edited in the admin.\n"


def test_an_admin_save_that_changed_nothing_is_not_an_edit(minimal_content: Path, load: Load) -> None:
    load(minimal_content)
    about = Article.objects.get(slug="about")
    about.body = about.body.replace("\n", "\r\n") + "\r\n\r\n"  # what a browser textarea sends back
    about.save()
    assert "Nothing changed" in load(minimal_content)


def test_a_file_and_admin_edit_of_the_same_record_is_a_conflict(minimal_content: Path, load: Load) -> None:
    load(minimal_content)
    about = Article.objects.get(slug="about")
    about.body = "Edited in the admin."
    about.save()
    (minimal_content / "articles" / "about.md").write_text(
        article_file("About this site", "Edited in the file.")
    )
    before = database_snapshot()
    with pytest.raises(CommandError, match="1 conflict"):
        load(minimal_content)
    assert database_snapshot() == before
    assert Article.objects.get(slug="about").body == "Edited in the admin.\n"


def test_the_conflict_message_names_the_file_and_the_record(
    minimal_content: Path, load: Load, capsys
) -> None:
    load(minimal_content)
    Reference.objects.filter(key="ali2009").update(title="Changed in the admin")
    (minimal_content / "site" / "references.yaml").write_text(
        "- key: ali2009\n  authors: Ali A, et al.\n  title: Changed in the file\n"
        "  publisher: A journal\n  year: 2009\n  url: https://doi.org/10.1089/acm.2008.0410\n"
    )
    message = failed_load(minimal_content, "1 conflict")
    assert "conflict: reference 'ali2009'" in message
    assert "site/references.yaml" in message


def test_a_record_made_in_the_admin_is_not_overwritten_by_a_new_file(
    minimal_content: Path, load: Load
) -> None:
    load(minimal_content)
    Article.objects.create(
        slug="new-page",
        title="Made in the admin",
        summary="s",
        body="Admin text.",
        status="draft",
        last_reviewed="2026-11-26",
        next_review_due="2027-11-26",
    )
    (minimal_content / "articles" / "new-page.md").write_text(article_file("Made in a file", "File text."))
    with pytest.raises(CommandError, match="conflict"):
        load(minimal_content)
    assert Article.objects.get(slug="new-page").title == "Made in the admin"


def write(relative: str, text: str | bytes) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / relative
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)

    return mutate


def front_matter(**overrides: str | None) -> str:
    fields = {
        "title": "Side effects",
        "summary": "What can go wrong.",
        "main_message": "Talk to your doctor before you try this.",
        "order": "40",
        "status": "published",
        "last_reviewed": "2026-11-26",
        "next_review_due": "2027-11-26",
        "changes": "\n  - date: 2026-11-26\n    summary: First version.",
    }
    fields.update(overrides)
    lines = "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)
    return f"---\n{lines}---\n" + TOPIC_BODY.format(body="Some text.")


BROKEN_FILES = [
    ("bad_yaml", "articles/side-effects.md", front_matter(title="[unclosed"), "YAML is not valid"),
    (
        "front_matter_is_a_list",
        "articles/side-effects.md",
        "---\n- a\n- b\n---\nText.\n",
        "must be a mapping",
    ),
    ("no_front_matter", "articles/side-effects.md", "Just text.\n", "has no front matter"),
    ("unclosed_front_matter", "articles/side-effects.md", "---\ntitle: x\n", "not closed by a second"),
    (
        "missing_key",
        "articles/side-effects.md",
        front_matter(summary=None),
        "missing required key(s) 'summary'",
    ),
    ("unknown_key", "articles/side-effects.md", front_matter(author="Me"), "unknown key(s) 'author'"),
    (
        "topic_page_without_main_message",
        "articles/side-effects.md",
        front_matter(main_message=None),
        "side-effects.md: front matter: 'main_message': A topic page needs a main message",
    ),
    (
        "reference_without_link_or_reason",
        "site/references.yaml",
        "- key: ali2009\n  authors: A\n  title: T\n  publisher: P\n  year: 2009\n",
        "entry 1 ('ali2009'): 'url' is needed: an address a reader can open",
    ),
    (
        "reference_with_link_and_reason",
        "site/references.yaml",
        "- key: ali2009\n  authors: A\n  title: T\n  publisher: P\n  url: https://doi.org/10.1/x\n"
        "  link_note: Offline.\n",
        "'link_note' is only for a source without a 'url'",
    ),
    (
        "faq_answer_without_review_dates",
        "faq/is-it-proven.md",
        "---\nquestion: Q?\ncategory: basics\norder: 1\nstatus: published\n---\nA.\n",
        "missing required key(s) 'last_reviewed', 'next_review_due'",
    ),
    (
        "glossary_term_without_review_dates",
        "site/glossary.yaml",
        "- term: placebo\n  definition: A dummy treatment.\n",
        "entry 1 ('placebo'): missing required key(s) 'last_reviewed', 'next_review_due'",
    ),
    (
        "glossary_review_due_before_review",
        "site/glossary.yaml",
        "- term: placebo\n  definition: A dummy.\n"
        "  last_reviewed: 2026-11-26\n  next_review_due: 2026-01-01\n",
        "entry 1 ('placebo'): 'next_review_due' must be after 'last_reviewed'",
    ),
    (
        "unknown_shared_block",
        "articles/side-effects.md",
        front_matter().replace("Some text.", "{{ block nowhere }}"),
        "uses the shared block 'nowhere', which does not exist",
    ),
    ("unknown_status", "articles/side-effects.md", front_matter(status="live"), "'status' must be one of"),
    (
        "impossible_date",
        "articles/side-effects.md",
        front_matter(last_reviewed="2026-02-30"),
        "'last_reviewed'",
    ),
    (
        "date_not_iso",
        "articles/side-effects.md",
        front_matter(next_review_due="next year"),
        "'next_review_due'",
    ),
    (
        "review_dates_reversed",
        "articles/side-effects.md",
        front_matter(next_review_due="2020-01-01"),
        "after",
    ),
    (
        "order_not_a_number",
        "articles/side-effects.md",
        front_matter(order="first"),
        "'order' must be a whole",
    ),
    ("summary_too_long", "articles/side-effects.md", front_matter(summary="x" * 161), "the limit is 160"),
    (
        "empty_body",
        "articles/side-effects.md",
        front_matter().split("## Key")[0],
        "body is empty",
    ),
    ("not_utf8", "articles/side-effects.md", front_matter().encode() + b"caf\xe9\n", "is not UTF-8"),
    (
        "bad_file_name",
        "articles/Side Effects.md",
        front_matter(),
        "is its key, which must be lowercase letters",
    ),
    ("reserved_slug", "articles/faq.md", front_matter(), "slug 'faq' is taken"),
    (
        "broken_internal_link",
        "articles/side-effects.md",
        front_matter().replace("Some text.", "See [cost](/no-such-page/)."),
        "links to /no-such-page/, which is not a page",
    ),
    (
        "link_to_missing_faq_answer",
        "articles/side-effects.md",
        front_matter().replace("Some text.", "See [this](/faq/#no-such-answer)."),
        "links to /faq/#no-such-answer",
    ),
    (
        "link_to_a_draft",
        "articles/side-effects.md",
        front_matter().replace("Some text.", "See [draft](/draft-page/)."),
        "which is a draft",
    ),
    (
        "unknown_citation",
        "articles/side-effects.md",
        front_matter().replace("Some text.", "Claim.[@nobody2020]"),
        "[@nobody2020] is not a reference: add it to the references first",
    ),
    (
        "unknown_faq_category",
        "faq/is-it-proven.md",
        question_file("Q?", "A.", category="nowhere"),
        "'category' 'nowhere' is not in faq/categories.yaml",
    ),
    (
        "duplicate_reference_key",
        "site/references.yaml",
        "- key: ali2009\n  authors: A\n  title: T\n  publisher: P\n  year: 2009\n"
        "- key: ali2009\n  authors: B\n  title: U\n  publisher: Q\n  year: 2010\n",
        "entry 2 ('ali2009'): duplicate key",
    ),
    (
        "reference_without_title",
        "site/references.yaml",
        "- key: x\n  authors: A\n  publisher: P\n",
        "'title'",
    ),
    ("references_not_a_list", "site/references.yaml", "key: x\n", "must be a YAML list"),
    (
        "change_log_missing_summary",
        "articles/side-effects.md",
        front_matter(changes="\n  - date: 2026-11-26"),
        "'changes' entry 1 must have exactly the keys 'date' and 'summary'",
    ),
    (
        "change_log_oldest_first",
        "articles/side-effects.md",
        front_matter(
            changes="\n  - date: 2025-01-01\n    summary: A.\n  - date: 2026-01-01\n    summary: B."
        ),
        "'changes' entries must be newest first",
    ),
    (
        "topic_page_without_key_points",
        "articles/side-effects.md",
        front_matter().replace("## Key points", "## Summary"),
        "must start with the heading '## Key points'",
    ),
    (
        "too_many_key_points",
        "articles/side-effects.md",
        front_matter().replace("- One short point.", "- a\n- b\n- c\n- d\n- e\n- f"),
        "must be a list of 1 to 5 bullets, not 6",
    ),
    (
        "topic_page_without_what_we_know",
        "articles/side-effects.md",
        front_matter().replace("## What we know and what we don't", "## More"),
        "needs a section '## What we know and what we don't'",
    ),
    (
        "unknown_care_card_level",
        "articles/side-effects.md",
        front_matter().replace("Some text.", '!!! danger "Run"\n    Now.'),
        "care card level 'danger' is not one of",
    ),
    (
        "care_card_without_heading",
        "articles/side-effects.md",
        front_matter().replace("Some text.", "!!! emergency\n    Now."),
        "care card needs a heading",
    ),
    (
        "glossary_alias_too_short",
        "site/glossary.yaml",
        "- term: intravenous\n  definition: Into a vein.\n  aliases: [IV]\n",
        "too short",
    ),
    (
        "disclaimer_without_title",
        "site/disclaimer.md",
        "---\n{}\n---\nText.\n",
        "missing required key(s) 'title'",
    ),
]


@pytest.mark.parametrize(
    ("relative", "text", "expected"),
    [case[1:] for case in BROKEN_FILES],
    ids=[case[0] for case in BROKEN_FILES],
)
def test_a_broken_file_is_named_and_nothing_is_written(
    minimal_content: Path, load: Load, relative: str, text: str | bytes, expected: str
) -> None:
    (minimal_content / "articles" / "draft-page.md").write_text(
        article_file("Draft", "Not yet.", status="draft")
    )
    load(minimal_content)
    Article.objects.filter(slug="about").update(title="Changed so a write would show")
    before = database_snapshot()
    write(relative, text)(minimal_content)

    messages = failed_load(minimal_content, "nothing was loaded")

    assert database_snapshot() == before
    assert relative in messages
    assert expected in messages


def test_yaml_errors_give_the_line_in_the_file(minimal_content: Path, load: Load) -> None:
    (minimal_content / "articles" / "about.md").write_text(front_matter(status="[oops"))
    message = failed_load(minimal_content)
    line = int(message.split("articles/about.md:")[1].split(":")[0])
    assert (
        (minimal_content / "articles" / "about.md")
        .read_text()
        .splitlines()[line - 1]
        .startswith(("status", "last"))
    )


def test_every_problem_is_reported_in_one_run(minimal_content: Path, load: Load) -> None:
    (minimal_content / "articles" / "side-effects.md").write_text(front_matter(status="live"))
    (minimal_content / "faq" / "is-it-proven.md").write_text("no front matter\n")
    message = failed_load(minimal_content, "2 problem")
    assert "articles/side-effects.md" in message
    assert "faq/is-it-proven.md" in message


def test_files_read_across_processes_report_what_a_read_here_reports(
    minimal_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With many files, pages and answers are read and checked in worker processes: every problem still names
    its file and line, exactly as when the files are read in this process."""
    write("articles/side-effects.md", front_matter().replace("Some text.", "Claim.[@nobody2020]"))(
        minimal_content
    )
    write("articles/about.md", front_matter().replace("Some text.", '!!! danger "Run"\n    Now.'))(
        minimal_content
    )
    write("faq/is-it-proven.md", "---\nquestion: a: b\n---\nA.\n")(minimal_content)
    here = failed_load(minimal_content, "3 problem")
    monkeypatch.setattr(bodies, "PARALLEL_MIN_JOBS", 1)
    monkeypatch.setattr(bodies, "worker_count", lambda: 2)
    assert failed_load(minimal_content, "3 problem") == here
    assert line_reported(here, minimal_content / "articles" / "side-effects.md").endswith("[@nobody2020]")
    assert line_reported(here, minimal_content / "articles" / "about.md").startswith("!!! danger")
    assert line_reported(here, minimal_content / "faq" / "is-it-proven.md").startswith("question:")


def line_reported(messages: str, path: Path) -> str:
    """The line of `path` that the message about it points to ("path:line: problem")."""
    message = next(line for line in messages.splitlines() if line.startswith(f"{path}:"))
    number = int(message.removeprefix(f"{path}:").split(":", 1)[0])
    return path.read_text().splitlines()[number - 1]


def test_a_problem_in_a_body_is_reported_at_its_line_in_the_file(minimal_content: Path) -> None:
    """Lines of a body count from the top of its file, front matter and blank lines included."""
    path = minimal_content / "articles" / "side-effects.md"
    path.write_text(
        front_matter().replace("---\n## Key", "---\n\n\n## Key").replace("Some text.", "See [x](/nowhere/).")
    )
    assert line_reported(failed_load(minimal_content), path) == "See [x](/nowhere/)."


def conflicting_edit(minimal_content: Path, load: Load) -> None:
    load(minimal_content)
    about = Article.objects.get(slug="about")
    about.body = "Edited in the admin."
    about.save()
    (minimal_content / "articles" / "about.md").write_text(
        article_file("About this site", "Edited in the file.", topic=False)
    )


def test_prefer_file_applies_the_file_and_keeps_the_admin_version_in_history(
    minimal_content: Path, load: Load
) -> None:
    conflicting_edit(minimal_content, load)
    # A published page: without --force-live the file's text would wait for review (test_file_conflicts).
    output = load(minimal_content, "--prefer", "file", "--force-live")
    assert "conflict settled in favour of the file: article 'about'" in output
    about = Article.objects.get(slug="about")
    assert about.body == "Edited in the file.\n"
    bodies = [version.field_dict["body"] for version in Version.objects.get_for_object(about)]
    assert "Edited in the admin.\n" in bodies
    assert "Nothing changed" in load(minimal_content)


def test_prefer_admin_keeps_the_admin_version_and_later_loads_keep_it(
    minimal_content: Path, load: Load
) -> None:
    conflicting_edit(minimal_content, load)
    output = load(minimal_content, "--prefer", "admin")
    assert "conflict settled in favour of the admin: article 'about'" in output
    assert Article.objects.get(slug="about").body == "Edited in the admin.\n"
    assert "kept admin edit: article 'about'" in load(minimal_content)  # no longer a conflict


def test_check_with_prefer_writes_nothing(minimal_content: Path, load: Load) -> None:
    conflicting_edit(minimal_content, load)
    before = database_snapshot()
    load(minimal_content, "--check", "--prefer", "file")
    assert database_snapshot() == before


def test_a_record_edited_after_planning_read_it_is_decided_again_when_locked(
    minimal_content: Path, load: Load
) -> None:
    """Planning reads records without a lock, then locks those it will write. An admin edit committed in
    between turns "update from the file" into a conflict, rather than being overwritten."""
    load(minimal_content)
    (minimal_content / "articles" / "about.md").write_text(
        article_file("About this site", "Edited in the file.", topic=False)
    )
    entry = next(e for e in read_content(minimal_content).entries if e.key == "about" and e.model is Article)
    first_read = Article.objects.get(slug="about")
    now = first_read.fingerprint()
    decision = Decision(entry, decide(entry, first_read, now), first_read, record_fingerprint=now)
    assert decision.outcome is Outcome.UPDATED

    Article.objects.filter(slug="about").update(title="Edited in the admin meanwhile")
    assert decide_again(decision, Article.objects.get(slug="about")).outcome is Outcome.CONFLICT


def test_a_glossary_term_only_in_the_database_does_not_break_links_to_it(
    loaded_site: None, site_content: Path, load: Load
) -> None:
    """Stored pages link the glossary's terms as they were when saved: a term added in the admin (pages now
    link to its anchor) leaves the unchanged files loadable."""
    from articles.models import GlossaryTerm
    from articles.rerendering import rerender_bodies

    GlossaryTerm.objects.create(
        slug="migraine", term="migraine", definition="A kind of headache.", **REVIEWED
    )
    rerender_bodies()
    assert Article.objects.filter(body_html__contains='href="/glossary/#migraine"').exists()
    assert "All content files are valid" in load(site_content, "--check")


def test_a_reference_with_a_problem_is_reported_once_not_at_every_citation(minimal_content: Path) -> None:
    references = minimal_content / "site" / "references.yaml"
    references.write_text(references.read_text() + "  link_note: Also offline.\n")
    messages = failed_load(minimal_content)
    assert "entry 1 ('ali2009'): 'link_note' is only for a source without a 'url'" in messages
    assert "is not a reference" not in messages


def test_front_matter_and_body_problems_of_one_file_are_reported_together(minimal_content: Path) -> None:
    page = article_file("Side effects", "Text.").replace("main_message: ", "main_message_x: ")
    (minimal_content / "articles" / "side-effects.md").write_text(page.replace("## Key points", "## Summary"))
    messages = failed_load(minimal_content)
    assert "unknown key(s) 'main_message_x'" in messages
    assert "must start with the heading '## Key points'" in messages


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("  url: doi.org/10.1089/acm.2008.0410\n", "'url': Enter a valid URL."),
        ("  url: http://doi.org/10.1089/acm.2008.0410\n", "'url' must be an https:// address"),
    ],
)
def test_a_reference_address_is_taken_as_written_and_must_be_https(
    minimal_content: Path, entry: str, problem: str
) -> None:
    references = minimal_content / "site" / "references.yaml"
    text = references.read_text()
    references.write_text(text[: text.index("  url:")] + entry)
    assert problem in failed_load(minimal_content)


def test_an_empty_alias_list_loads(minimal_content: Path, load: Load) -> None:
    glossary = minimal_content / "site" / "glossary.yaml"
    glossary.write_text(glossary.read_text() + "  aliases: []\n")
    load(minimal_content)
    from articles.models import GlossaryTerm

    assert GlossaryTerm.objects.get(slug="placebo").aliases == []


@pytest.mark.parametrize("day", ["20261126", "2026-W48-4", "2026-11-26T10:00"])
def test_a_date_is_only_read_as_yyyy_mm_dd(minimal_content: Path, day: str) -> None:
    page = article_file("Side effects", "Text.").replace("last_reviewed: 2026-11-26", f"last_reviewed: {day}")
    (minimal_content / "articles" / "side-effects.md").write_text(page)
    assert "'last_reviewed' must be a real date written YYYY-MM-DD" in failed_load(minimal_content)
