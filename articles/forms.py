"""Admin forms: a body is checked as the loader checks a file, with the problem and line named."""

from typing import Any

from django import forms

from articles.change_log import ChangeLogField
from articles.citations import link_citations
from articles.models import (
    ABOUT_SLUG,
    HOME_SLUG,
    Article,
    PageRevision,
    Reference,
    page_text_fingerprint,
)
from articles.page_rules import topic_page_problems
from ivmt_site.care_cards import card_problems


def body_problems(text: str, *, topic_page: bool) -> list[str]:
    problems = [
        f"Line {miss.line}: [@{miss.key}] is not a reference. Add it under References first."
        for miss in link_citations(text, Reference.known_keys()).unknown
    ]
    problems += [f"Line {line}: {problem}" for line, problem in card_problems(text)]
    if topic_page:
        problems += [problem[0].upper() + problem[1:] + "." for problem in topic_page_problems(text)]
    return problems


class CitingBodyForm(forms.ModelForm):
    """A ModelForm whose Markdown field (`body_field`) may cite references and hold care cards."""

    body_field = "body"

    def is_topic_page(self) -> bool:
        return False

    def clean(self) -> dict:
        cleaned = super().clean()
        text = cleaned.get(self.body_field)
        if text:
            problems = body_problems(text.replace("\r\n", "\n"), topic_page=self.is_topic_page())
            if problems:
                self.add_error(self.body_field, problems)
        return cleaned


class ArticleForm(CitingBodyForm):
    changes = ChangeLogField(
        help_text="The public change log, newest first: one line per change, as YYYY-MM-DD: what changed."
    )

    class Meta:
        model = Article
        fields = "__all__"

    def is_topic_page(self) -> bool:
        slug = self.instance.slug if self.instance.pk else self.cleaned_data.get("slug")
        return slug not in {HOME_SLUG, ABOUT_SLUG}


class PageRevisionForm(CitingBodyForm):
    """Changes proposed to a live page, checked as the page itself is. `started_from` carries, through the
    form, which text of the page the editor started from: if the page changes while they write, saving is
    refused rather than quietly proposing to undo that change."""

    started_from = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PageRevision
        fields = ["article", "title", "summary", "body", "change_note", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "article" in self.fields:
            self.fields["article"].queryset = Article.objects.published()

    def page(self) -> Article | None:
        return self.instance.article if self.instance.pk else self.cleaned_data.get("article")

    def is_topic_page(self) -> bool:
        page = self.page()
        return page is not None and page.is_topic

    def clean(self) -> dict:
        cleaned = super().clean()
        page = self.page()
        if self.instance.pk or page is None:
            return cleaned
        now = page_text_fingerprint(page.title, page.summary, page.body)
        if not cleaned.get("started_from"):
            raise forms.ValidationError(
                "Start from the live page: open it under Articles and choose “Propose changes to this "
                "page”, so that your changes begin from its current text."
            )
        if cleaned["started_from"] != now:
            raise forms.ValidationError(
                "The live page was changed while you were writing. Nothing was saved. Copy your text, start "
                "again from the live page (“Propose changes to this page”), and make your changes there."
            )
        self.instance.based_on = now
        return cleaned
