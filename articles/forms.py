"""Admin forms: a body is checked as the loader checks a file, with the problem and line named."""

from typing import Any

from django import forms

from articles.change_log import ChangeLogField
from articles.models import (
    ABOUT_SLUG,
    HOME_SLUG,
    Article,
    PageRevision,
    Reference,
    RenderedBody,
    SharedBlock,
)
from articles.page_rules import MAIN_MESSAGE_MISSING, topic_page_problems
from articles.rendering.care_cards import card_problems
from articles.rendering.citations import link_citations
from articles.rendering.pictures import picture_problems
from articles.rendering.shared_blocks import block_problems


def as_sentence(problem: str) -> str:
    """A loader problem ("a topic page must ...") as the admin shows it: a capitalised sentence."""
    return problem[0].upper() + problem[1:] + "."


def body_problems(text: str, *, topic_page: bool, in_block: bool = False) -> list[str]:
    problems = [
        f"Line {miss.line}: [@{miss.key}] is not a reference. Add it under References first."
        for miss in link_citations(text, Reference.known_keys()).unknown
    ]
    known_blocks = set() if in_block else set(SharedBlock.objects.values_list("slug", flat=True))
    numbered = [
        *card_problems(text),
        *picture_problems(text),
        *block_problems(text, known_blocks, in_block=in_block),
    ]
    problems += [f"Line {line}: {problem}" for line, problem in numbered]
    if topic_page:
        problems += [as_sentence(problem) for problem in topic_page_problems(text)]
    return problems


def require_main_message(form: "CitingBodyForm") -> None:
    """A topic page's form (the page's, or changes proposed to it) refuses an empty main message."""
    if form.is_topic_page() and not (form.cleaned_data.get("main_message") or "").strip():
        form.add_error("main_message", as_sentence(MAIN_MESSAGE_MISSING))


class CitingBodyForm(forms.ModelForm):
    """A ModelForm for a record whose Markdown field may cite references, hold care cards and use shared
    blocks (unless it is a shared block itself)."""

    def body_model(self) -> type[RenderedBody]:
        """The model whose Markdown body this form edits: its SOURCE_FIELD and USES_BLOCKS apply."""
        return self._meta.model

    @property
    def body_field(self) -> str:
        return self.body_model().SOURCE_FIELD

    def is_topic_page(self) -> bool:
        return False

    def clean(self) -> dict:
        cleaned = super().clean()
        text = cleaned.get(self.body_field)
        if text:
            problems = body_problems(
                text.replace("\r\n", "\n"),
                topic_page=self.is_topic_page(),
                in_block=not self.body_model().USES_BLOCKS,
            )
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

    def clean(self) -> dict:
        cleaned = super().clean()
        require_main_message(self)
        return cleaned


class SharedBlockForm(CitingBodyForm):
    class Meta:
        model = SharedBlock
        fields = "__all__"


class ProposedChangeForm(CitingBodyForm):
    """Changes proposed to a live record (see ProposedChange), checked as the record itself is.

    `started_from` carries, through the form, which text of the live record the editor started from: if the
    record changes while they write, saving is refused rather than quietly proposing to undo that change.
    """

    started_from = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        if model.LIVE_FIELD in self.fields:
            self.fields[model.LIVE_FIELD].queryset = model.live_model().objects.published()

    def body_model(self) -> type[RenderedBody]:
        return self._meta.model.live_model()

    def live(self) -> RenderedBody | None:
        if self.instance.pk:
            return self.instance.live
        return self.cleaned_data.get(self._meta.model.LIVE_FIELD)

    def is_topic_page(self) -> bool:
        live = self.live()
        return live is not None and live.is_topic

    def clean(self) -> dict:
        cleaned = super().clean()
        live = self.live()
        if self.instance.pk or live is None:
            return cleaned
        now = self._meta.model.text_fingerprint(live)
        if not cleaned.get("started_from"):
            raise forms.ValidationError(
                "Start from the live text: open the page or answer in the admin and choose “Propose "
                "changes”, so that your changes begin from its current text."
            )
        if cleaned["started_from"] != now:
            raise forms.ValidationError(
                "The live text was changed while you were writing. Nothing was saved. Copy your text, start "
                "again from the live text (“Propose changes”), and make your changes there."
            )
        self.instance.based_on = now
        return cleaned


class PageRevisionForm(ProposedChangeForm):
    class Meta:
        model = PageRevision
        fields = ["article", "title", "summary", "main_message", "body", "change_note", "status"]

    def clean(self) -> dict:
        cleaned = super().clean()
        require_main_message(self)
        return cleaned
