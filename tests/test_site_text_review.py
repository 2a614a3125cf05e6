"""Everything a reader sees goes through review: an Editor proposes changes to the disclaimer, a glossary
term, a reference or a shared block; readers keep the live text until a Clinical reviewer publishes them."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from reversion.models import Version

from articles.models import (
    Article,
    Disclaimer,
    DisclaimerRevision,
    GlossaryTerm,
    GlossaryTermRevision,
    LoadedFromFile,
    ProposedChange,
    Reference,
    ReferenceRevision,
    RevisionStatus,
    SharedBlock,
    SharedBlockRevision,
)
from articles.rerendering import bodies_using
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

NEW_WORDS = "Ask a pharmacist too"
ADMIN = "/admin/articles"


def about_page_mentioning(phrase: str) -> str:
    """The about page with `phrase` added to it (saved, so rendered): where a glossary alias shows."""
    about = Article.objects.get(slug="about")
    about.body = f"{about.body}\n\nSome readers feel {phrase} after a drip.\n"
    about.save()
    return about.get_absolute_url()


@dataclass(frozen=True)
class Kind:
    """One kind whose changes go through review, with what the tests need to know about it."""

    change_model: type[ProposedChange]
    live: Callable[[], LoadedFromFile]  # the live record the tests change
    changed: Callable[[LoadedFromFile], dict[str, Any]]  # the proposed values
    # A page where readers see the change (set up by the function, given the live record), and the HTML that
    # shows it there.
    shown_on: Callable[[LoadedFromFile], str]
    shown_as: Callable[[LoadedFromFile], str]
    breaking: dict[str, Any]  # proposed values that break the live model's rules
    refusal: str  # what the reviewer is told of them
    form_refusal: str  # and the editor, in the form

    @property
    def name(self) -> str:
        return self.change_model.live_model()._meta.model_name

    def admin(self, view: str = "") -> str:
        return f"{ADMIN}/{self.change_model._meta.model_name}/{view}"

    def live_admin(self, record: LoadedFromFile) -> str:
        return f"{ADMIN}/{self.name}/{record.pk}/change/"


def cited_reference() -> Reference:
    cited = {key for article in Article.objects.published() for key in article.reference_keys}
    return Reference.objects.filter(key__in=cited).first()


def page_citing(reference: LoadedFromFile) -> str:
    citing = (page for page in Article.objects.published() if reference.key in page.reference_keys)
    return next(citing).get_absolute_url()


def page_using(block: LoadedFromFile) -> str:
    return next(page for page in bodies_using({block.slug}) if page.status == "published").get_absolute_url()


def unlinked_term() -> GlossaryTerm:
    about = Article.objects.get(slug="about")
    return next(t for t in GlossaryTerm.objects.all() if GlossaryTerm.url_for(t.slug) not in about.body_html)


KINDS = [
    Kind(
        DisclaimerRevision,
        live=lambda: Disclaimer.objects.get(),
        changed=lambda live: {"body": f"{live.body.rstrip()} {NEW_WORDS}."},
        shown_on=lambda live: "/faq/",
        shown_as=lambda live: NEW_WORDS,
        breaking={"title": ""},
        refusal="Title: This field cannot be blank.",
        form_refusal="This field is required.",
    ),
    Kind(
        GlossaryTermRevision,
        live=unlinked_term,
        changed=lambda live: {"aliases": [*live.aliases, "a warm rush"], "definition": f"{NEW_WORDS}."},
        shown_on=lambda live: about_page_mentioning("a warm rush"),
        shown_as=lambda live: f'<a class="glossary-term" href="/glossary/#{live.slug}">a warm rush</a>',
        breaking={"term": "hypotension", "aliases": ["ab"]},
        refusal="Term: Glossary term with this Term already exists.",
        form_refusal="Glossary term with this Term already exists.",
    ),
    Kind(
        ReferenceRevision,
        live=cited_reference,
        changed=lambda live: {"title": f"{NEW_WORDS}: a study"},
        shown_on=page_citing,
        shown_as=lambda live: f"{NEW_WORDS}: a study.",
        breaking={"url": "", "link_note": ""},
        refusal="Url: is needed",
        form_refusal="is needed: an address a reader can open",
    ),
    Kind(
        SharedBlockRevision,
        live=lambda: SharedBlock.objects.get(slug="drip-site-aftercare"),
        changed=lambda live: {"body": f"{live.body.rstrip()}\n\n{NEW_WORDS}.\n"},
        shown_on=page_using,
        shown_as=lambda live: NEW_WORDS,
        breaking={"body": "Ask about it.[@nobody2020]"},
        refusal="[@nobody2020] is not a reference",
        form_refusal="[@nobody2020] is not a reference",
    ),
]
BY_NAME = {kind.name: kind for kind in KINDS}


@pytest.fixture(params=KINDS, ids=lambda kind: kind.name)
def kind(request: pytest.FixtureRequest, loaded_site: None) -> Kind:
    return request.param


def form_value(value: Any) -> str:
    if isinstance(value, list):
        return json.dumps(value)
    return "" if value is None else str(value)


def propose(client: Client, kind: Kind, live: LoadedFromFile, values: dict[str, Any]) -> Any:
    """Open "Propose changes" from the live record and send the changes for review, as an editor's browser
    would."""
    live_field = kind.change_model.LIVE_FIELD
    html = client.get(f"{kind.admin('add/')}?{live_field}={live.pk}").content.decode()
    started_from = re.search(r'name="started_from" value="([0-9a-f]{64})"', html)
    assert started_from, "the form starts from the live text"
    form = {name: form_value(getattr(live, name)) for name in kind.change_model.REVISED_FIELDS}
    form |= {name: form_value(value) for name, value in values.items()}
    form |= {
        live_field: str(live.pk),
        "change_note": "Made it clearer.",
        "status": RevisionStatus.IN_REVIEW,
        "started_from": started_from.group(1),
    }
    return client.post(kind.admin("add/"), form)


def publish(client: Client, kind: Kind, change: ProposedChange) -> str:
    response = client.post(
        kind.admin(), {"action": "publish", "_selected_action": [str(change.pk)]}, follow=True
    )
    return response.content.decode()


def in_review(kind: Kind, live: LoadedFromFile, values: dict[str, Any]) -> ProposedChange:
    """Changes as if proposed and submitted (without the form's checks), started from the live text now."""
    change = kind.change_model(
        change_note="Made it clearer.",
        status=RevisionStatus.IN_REVIEW,
        based_on=kind.change_model.text_fingerprint(live),
        **{kind.change_model.LIVE_FIELD: live},
        **{name: getattr(live, name) for name in kind.change_model.REVISED_FIELDS},
    )
    for name, value in values.items():
        setattr(change, name, value)
    change.save()
    return change


def test_an_editor_cannot_change_the_live_record(editor: Client, kind: Kind) -> None:
    live = kind.live()
    page = editor.get(kind.live_admin(live))
    assert page.status_code == 200  # read-only
    assert 'name="_save"' not in page.content.decode()
    values = {name: form_value(getattr(live, name)) for name in kind.change_model.REVISED_FIELDS}
    assert editor.post(kind.live_admin(live), values).status_code == 403


def test_the_live_record_links_to_proposing_changes(editor: Client, kind: Kind) -> None:
    live = kind.live()
    html = editor.get(kind.live_admin(live)).content.decode()
    assert "Propose changes" in html
    assert f"{kind.admin('add/')}?{kind.change_model.LIVE_FIELD}={live.pk}" in html


def test_changes_wait_for_a_reviewer_then_show_to_readers(
    editor: Client, reviewer: Client, kind: Kind
) -> None:
    live = kind.live()
    page = kind.shown_on(live)
    response = propose(editor, kind, live, kind.changed(live))
    assert response.status_code == 302, response.content.decode()
    change = kind.change_model.objects.get()
    assert change.proposed_by.username == "editor"

    assert kind.shown_as(live) not in Client().get(page).content.decode()
    dashboard = reviewer.get("/admin/").content.decode()
    waiting = dashboard[dashboard.index("Waiting for a clinical reviewer") :]
    assert kind.change_model.live_model()._meta.verbose_name.lower() in waiting.lower()
    assert "Made it clearer." in waiting

    assert "not published" not in publish(editor, kind, change)  # no publish action for an Editor
    assert kind.change_model.objects.filter(pk=change.pk).exists()
    assert kind.shown_as(live) not in Client().get(page).content.decode()

    assert "1 published" in publish(reviewer, kind, change)
    assert kind.shown_as(live) in Client().get(page).content.decode()
    record = type(live).objects.get(pk=live.pk)
    for name, value in kind.changed(live).items():
        stored = getattr(record, name)
        assert stored.strip() == value.strip() if isinstance(value, str) else stored == value
    # Kept, marked published: the record of what was published.
    assert kind.change_model.objects.get(pk=change.pk).status == RevisionStatus.PUBLISHED
    latest = Version.objects.get_for_object(record).first()
    assert latest.revision.comment == "Published changes proposed by editor: Made it clearer."


def test_changes_that_break_the_rules_are_refused_at_publishing(reviewer: Client, kind: Kind) -> None:
    live = kind.live()
    change = in_review(kind, live, kind.breaking)
    before = database_snapshot()
    page = publish(reviewer, kind, change)
    assert kind.refusal in page and "Nothing was published." in page
    assert database_snapshot() == before
    assert kind.change_model.objects.filter(pk=change.pk).exists()  # kept, for an editor to mend


def test_changes_that_break_the_rules_are_refused_in_the_form(editor: Client, kind: Kind) -> None:
    response = propose(editor, kind, kind.live(), kind.breaking)
    assert response.status_code == 200
    assert kind.form_refusal in response.content.decode()
    assert not kind.change_model.objects.exists()


def test_changes_are_not_published_over_a_newer_live_record(
    editor: Client, reviewer: Client, kind: Kind
) -> None:
    live = kind.live()
    change = in_review(kind, live, kind.changed(live))
    name = kind.change_model.REVISED_FIELDS[0]
    type(live).objects.filter(pk=live.pk).update(**{name: f"{getattr(live, name)} (changed since)"})
    assert "the live text has changed since these changes were started" in publish(reviewer, kind, change)
    assert kind.change_model.objects.filter(pk=change.pk).exists()


def test_a_saved_glossary_or_reference_change_shows_as_readers_will_see_it(
    editor: Client, loaded_site: None
) -> None:
    for kind in (BY_NAME["glossaryterm"], BY_NAME["reference"]):
        live = kind.live()
        change = in_review(kind, live, kind.changed(live))
        html = editor.get(kind.admin(f"{change.pk}/change/")).content.decode()
        assert "As readers will see it" in html and NEW_WORDS in html


def test_editors_may_add_references_but_not_glossary_terms(editor: Client, loaded_site: None) -> None:
    """A reference nobody cites shows nowhere (pages list only what they cite); a new glossary term shows
    on the glossary and links from every page at once, so a Clinical reviewer adds it."""
    assert editor.get(f"{ADMIN}/reference/add/").status_code == 200
    assert editor.get(f"{ADMIN}/glossaryterm/add/").status_code == 403


def test_a_reviewer_still_changes_a_glossary_term_directly_and_pages_follow(
    reviewer: Client, loaded_site: None
) -> None:
    term = unlinked_term()
    page = about_page_mentioning("a warm rush")
    url = f"{ADMIN}/glossaryterm/{term.pk}/change/"
    edit_base = re.search(r'name="edit_base" value="([^"]*)"', reviewer.get(url).content.decode()).group(1)
    response = reviewer.post(
        url,
        {
            "term": term.term,
            "slug": term.slug,
            "definition": term.definition,
            "aliases": json.dumps([*term.aliases, "a warm rush"]),
            "last_reviewed": term.last_reviewed.isoformat(),
            "next_review_due": term.next_review_due.isoformat(),
            "edit_base": edit_base,
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert f'href="/glossary/#{term.slug}">a warm rush</a>' in Client().get(page).content.decode()


def test_a_disclaimer_body_that_breaks_the_body_rules_is_refused_in_the_form_and_at_publishing(
    editor: Client, reviewer: Client, loaded_site: None
) -> None:
    """Shown on every page, it keeps the body rules: a care card as the renderer reads it, and no citation."""
    kind = BY_NAME["disclaimer"]
    live = kind.live()
    broken = {"body": "Read this.\n\n!!! urgent Call us\nCall 911.\n\nAs said.[@ ali2009]\n"}
    response = propose(editor, kind, live, broken)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 3: the care card heading must be in straight double quotes" in html
    assert "Line 6: [@ ali2009] cites a source, but this text is shown on every page" in html
    assert not kind.change_model.objects.exists()

    change = in_review(kind, live, broken)
    before = database_snapshot()
    page = publish(reviewer, kind, change)
    assert "Line 3: the care card heading" in page and "Nothing was published." in page
    assert database_snapshot() == before
