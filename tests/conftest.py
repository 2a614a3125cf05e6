"""Shared fixtures: content folders to load, a loader runner, and a snapshot of every content table."""

import re
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client

from articles.editorial.roles import CLINICAL_REVIEWER, EDITOR
from articles.registry import models
from articles.web import cache_guard
from ivmt_site.page_cache import recent_pages

# Every kind of record kept in content files, in the order they are loaded (from the content-kind registry).
CONTENT_MODELS = tuple(models())


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no cached pages, content version or rate-limit counts from an earlier test, and
    with cache calls not paused by an earlier test's unreachable cache (articles.web.cache_guard)."""
    monkeypatch.setattr(cache_guard, "_paused_until", 0.0)
    cache.clear()
    recent_pages.clear()


ARTICLE_TEMPLATE = """---
title: {title}
summary: A short summary of this page.{main_message}
order: {order}
status: {status}
last_reviewed: 2026-11-26
next_review_due: 2027-11-26
changes:
  - date: 2026-11-26
    summary: First version of this page.
---
{body}
"""
MAIN_MESSAGE = "Talk to your doctor before you try this."
# Review dates, as front matter lines (or one glossary entry's keys, indented by two).
REVIEW_DATES = "last_reviewed: 2026-11-26\nnext_review_due: 2027-11-26\n"
# The same, as model field values.
EXAMPLE_URL = "https://example.org/a-source"
REVIEWED = {"last_reviewed": "2026-11-26", "next_review_due": "2027-11-26"}
GLOSSARY_REVIEW_DATES = "  last_reviewed: 2026-11-26\n  next_review_due: 2027-11-26\n"
TOPIC_BODY = """## Key points

- One short point.

{body}

## What we know and what we don't

We know little.
"""


def article_file(
    title: str, body: str, *, order: int = 10, status: str = "published", topic: bool = True
) -> str:
    """A valid article file; a topic page's body is wrapped in the sections every topic page must have."""
    body = TOPIC_BODY.format(body=body) if topic else body
    main_message = f"\nmain_message: {MAIN_MESSAGE}" if topic else ""
    return ARTICLE_TEMPLATE.format(
        title=title, body=body, order=order, status=status, main_message=main_message
    )


def question_file(question: str, answer: str, *, category: str = "basics", status: str = "published") -> str:
    """A valid FAQ answer file."""
    return (
        f"---\nquestion: {question}\ncategory: {category}\norder: 10\nstatus: {status}\n{REVIEW_DATES}---\n"
        f"{answer}\n"
    )


def content_title(slug: str) -> str:
    """A page's title as the real content/ file gives it (tests that check a title survive a rewording)."""
    text = (Path(settings.CONTENT_DIR) / "articles" / f"{slug}.md").read_text()
    return re.search(r"^title: (.+)$", text, re.MULTILINE).group(1)


def write_minimal_content(root: Path) -> Path:
    """The smallest content folder that loads: one reference, the disclaimer, one FAQ, home and about, and
    an empty decision aid."""
    (root / "site").mkdir(parents=True)
    (root / "articles").mkdir()
    (root / "faq").mkdir()
    (root / "site" / "references.yaml").write_text(
        "- key: ali2009\n  authors: Ali A, et al.\n  title: A pilot study\n"
        "  publisher: A journal\n  year: 2009\n  url: https://doi.org/10.1089/acm.2008.0410\n"
    )
    (root / "site" / "disclaimer.md").write_text("---\ntitle: Medical disclaimer\n---\nNot medical advice.\n")
    (root / "site" / "glossary.yaml").write_text(
        "- term: placebo\n  definition: A dummy treatment with nothing active in it.\n"
        + GLOSSARY_REVIEW_DATES
    )
    (root / "faq" / "categories.yaml").write_text("- slug: basics\n  title: Basics\n  order: 10\n")
    (root / "decision-aid").mkdir()
    (root / "decision-aid" / "options.yaml").write_text("[]\n")  # a site may have no decision aid yet
    (root / "faq" / "is-it-proven.md").write_text(question_file("Is it proven?", "No.[@ali2009]"))
    home = article_file("Home", "Welcome. See [about](/about/).", order=0, topic=False)
    (root / "articles" / "home.md").write_text(home)
    about = article_file("About this site", "Who we are.", order=90, topic=False)
    (root / "articles" / "about.md").write_text(about)
    return root


@pytest.fixture
def minimal_content(tmp_path: Path) -> Path:
    return write_minimal_content(tmp_path / "content")


@pytest.fixture
def site_content(tmp_path: Path) -> Path:
    """A copy of the real content/ folder, safe to edit."""
    return Path(shutil.copytree(settings.CONTENT_DIR, tmp_path / "content"))


@pytest.fixture
def load() -> Callable[..., str]:
    """Run `loadcontent` on a folder; returns what it printed. CommandError propagates."""

    def run(root: Path, *args: str) -> str:
        out = StringIO()
        call_command("loadcontent", "--content", str(root), *args, stdout=out, stderr=out)
        return out.getvalue()

    return run


_loaded_site_rows: str | None = None


@pytest.fixture
def loaded_site(db: None, load: Callable[..., str]) -> None:
    """The database loaded from the real content/ folder.

    The first test that asks for it runs the real loader; later ones get the same rows back from a serialized
    copy (saved raw, so nothing is rendered again): loading renders and measures every page, which is slow.
    """
    global _loaded_site_rows
    if _loaded_site_rows is None:
        load(settings.CONTENT_DIR)
        rows = [obj for model in CONTENT_MODELS for obj in model.objects.all()]
        _loaded_site_rows = serializers.serialize("json", rows)
        return
    for row in serializers.deserialize("json", _loaded_site_rows):
        row.save()


def database_snapshot() -> dict[str, list[dict]]:
    """Every row of every content table, every field: equal snapshots mean nothing was written."""
    snapshot = {}
    for model in CONTENT_MODELS:
        rows = []
        for obj in model.objects.order_by("pk"):
            row = model_to_dict(obj, fields=[f.name for f in model._meta.fields])
            row.update({f.name: getattr(obj, f.name) for f in model._meta.fields if not f.editable})
            rows.append(row)
        snapshot[model.__name__] = rows
    return snapshot


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The default hasher is slow on purpose; tests create many staff users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def member_of(group: str, client: Client) -> Client:
    user = User.objects.create_user(
        group.lower().replace(" ", "-"), password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


# Signed-in staff in one of the two editorial roles (pytest-django's `admin_client` is a superuser).
@pytest.fixture
def editor(client: Client) -> Client:
    return member_of(EDITOR, client)


@pytest.fixture
def reviewer() -> Client:
    return member_of(CLINICAL_REVIEWER, Client())


def article_admin_form(**values: object) -> dict[str, object]:
    """POST data for the article admin form, with the clinical-review inline left empty."""
    form: dict[str, object] = {
        "title": "A page",
        "summary": "A test page.",
        "main_message": MAIN_MESSAGE,
        "status": "published",
        "order": "50",
        "last_reviewed": "2026-11-26",
        "next_review_due": "2027-11-26",
        "changes": "2026-11-26: First version of this page.",
        "body": TOPIC_BODY.format(body="Text."),
        "clinical_reviews-TOTAL_FORMS": "0",
        "clinical_reviews-INITIAL_FORMS": "0",
        "clinical_reviews-MIN_NUM_FORMS": "0",
        "clinical_reviews-MAX_NUM_FORMS": "1000",
    }
    form.update(values)
    return form
