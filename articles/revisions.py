"""Publishing changes proposed to a live page (PageRevision): the one place they reach the page.

The page is served as it is until then. Publishing is refused, with the reason, when the page's text changed
since the changes were started (a file was loaded, other changes were published), or when the changes no
longer pass the page's checks: either way nothing is written, and the proposed changes stay for an editor to
bring up to date.
"""

from datetime import date

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from reversion.models import Version

from articles.forms import body_problems
from articles.models import REVISED_FIELDS, Article, PageRevision, page_text_fingerprint


class CannotPublish(Exception):
    """Why a proposed change was not published; the message is written for the reviewer."""


def publish_revision(revision: PageRevision, *, user: AbstractBaseUser, today: date) -> Article:
    # Inside another revision block, the two history entries made here would merge into one.
    assert not reversion.is_active(), "publish_revision makes its own history entries"
    with transaction.atomic():
        page = Article.objects.select_for_update().get(pk=revision.article_id)
        if page_text_fingerprint(page.title, page.summary, page.body) != revision.based_on:
            raise CannotPublish(
                f"{revision}: the live page has changed since these changes were started, so publishing "
                "them would undo that change. Nothing was published. An editor can start new proposed "
                "changes from the live page and copy these across."
            )
        problems = body_problems(revision.body, topic_page=page.is_topic)
        if problems:
            raise CannotPublish(f"{revision}: {' '.join(problems)} Nothing was published.")
        keep_live_text_in_history(page)
        for name in REVISED_FIELDS:
            setattr(page, name, getattr(revision, name))
        page.changes = [{"date": today.isoformat(), "summary": revision.change_note}, *page.changes]
        with reversion.create_revision():
            reversion.set_user(user)
            author = revision.proposed_by.get_username() if revision.proposed_by else "a former user"
            reversion.set_comment(f"Published changes proposed by {author}: {revision.change_note}")
            page.save()
        revision.delete()
    return page


def keep_live_text_in_history(page: Article) -> None:
    """Make sure the page's history holds the text about to be replaced (a page written straight into the
    database, not through a save, may have no history yet)."""
    latest = Version.objects.get_for_object(page).first()
    if latest is not None and all(
        latest.field_dict.get(name) == getattr(page, name) for name in REVISED_FIELDS
    ):
        return
    with reversion.create_revision():
        reversion.set_comment("Live text, before proposed changes were published")
        reversion.add_to_revision(page)
