"""Admin forms: a body is checked as the loader checks a file, with the problem and line named."""

from typing import Any

from django import forms

from articles.change_log import ChangeLogField
from articles.editorial.body_checks import as_sentence, live_body_problems
from articles.editorial.change_checks import record_problems
from articles.editorial.editor_preview import render_problems
from articles.models import (
    Article,
    CheckedBody,
    DecisionOption,
    Disclaimer,
    DisclaimerRevision,
    GlossaryTermRevision,
    LoadedFromFile,
    PageRevision,
    Reference,
    ReferenceRevision,
    SharedBlock,
    SharedBlockRevision,
)


class CitingBodyForm(forms.ModelForm):
    """A ModelForm for a record whose Markdown body is kept to the body rules (CheckedBody): care cards,
    citations and shared blocks, as far as its model allows them."""

    def body_model(self) -> type[CheckedBody]:
        """The model whose Markdown body this form edits: its SOURCE_FIELD and body rules apply."""
        return self._meta.model

    @property
    def body_field(self) -> str:
        return self.body_model().SOURCE_FIELD

    def body_key(self) -> str | None:
        """The key of the record whose body this is (None when it is not known yet)."""
        key_field = self.body_model().KEY_FIELD
        return getattr(self.instance, key_field) if self.instance.pk else self.cleaned_data.get(key_field)

    def clean(self) -> dict:
        cleaned = super().clean()
        self.check_content(cleaned)
        return cleaned

    def check_content(self, cleaned: dict[str, Any]) -> None:
        text = cleaned.get(self.body_field)
        if text:
            # A body that keeps every rule is rendered once here too: saving renders it, and a body that
            # takes too long to render must be refused with a message, not fail the save.
            problems = live_body_problems(
                text, model=self.body_model(), key=self.body_key()
            ) or render_problems(text)
            if problems:
                self.add_error(self.body_field, problems)


class ArticleForm(CitingBodyForm):
    changes = ChangeLogField(
        help_text="The public change log, newest first: one line per change, as YYYY-MM-DD: what changed."
    )

    class Meta:
        model = Article
        fields = "__all__"


class DecisionOptionForm(forms.ModelForm):
    """A decision aid option: its cells' citations are written as [@key] and name references that exist, as
    the loader checks."""

    class Meta:
        model = DecisionOption
        fields = "__all__"

    def clean(self) -> dict:
        cleaned = super().clean()
        known = Reference.known_keys()
        for name, problem in DecisionOption.citing_field_problems(
            cleaned, known, references="the references"
        ):
            self.add_error(name, as_sentence(problem))
        return cleaned


class SharedBlockForm(CitingBodyForm):
    class Meta:
        model = SharedBlock
        fields = "__all__"


class DisclaimerForm(CitingBodyForm):
    class Meta:
        model = Disclaimer
        fields = "__all__"


class ProposedChangeForm(CitingBodyForm):
    """Changes proposed to a live record (see ProposedChange), checked as the record itself is: a body by the
    body rules, any other kind by its model's rules (articles.editorial.change_checks).

    `started_from` carries, through the form, which text of the live record the editor started from: if the
    record changes while they write, saving is refused rather than quietly proposing to undo that change.
    """

    started_from = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        if model.LIVE_FIELD in self.fields:
            self.fields[model.LIVE_FIELD].queryset = model.live_records()

    def body_model(self) -> type[CheckedBody]:
        return self._meta.model.live_model()

    def live(self) -> LoadedFromFile | None:
        if self.instance.pk:
            return self.instance.live
        return self.cleaned_data.get(self._meta.model.LIVE_FIELD)

    def body_key(self) -> str | None:
        live = self.live()
        return live.content_key if live is not None else None

    def check_content(self, cleaned: dict[str, Any]) -> None:
        model = self._meta.model
        if model.revises_checked_body():
            super().check_content(cleaned)
        if model.revises_rendered_body():
            return
        live = self.live()
        if live is None:
            return
        record = model.live_model().objects.get(pk=live.pk)
        for name in model.REVISED_FIELDS:
            if name in cleaned:  # a value that failed its own field's checks is reported already
                setattr(record, name, cleaned[name])
        for name, messages in record_problems(record).items():
            self.add_error(name if name in self.fields else None, messages)

    def clean(self) -> dict:
        cleaned = super().clean()
        live = self.live()
        if self.instance.pk or live is None:
            return cleaned
        now = self._meta.model.text_fingerprint(live)
        if not cleaned.get("started_from"):
            raise forms.ValidationError(
                "Start from the live text: open the live record in the admin and choose “Propose changes”, "
                "so that your changes begin from its current text."
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


class DisclaimerRevisionForm(ProposedChangeForm):
    class Meta:
        model = DisclaimerRevision
        fields = ["disclaimer", "title", "body", "change_note", "status"]


class GlossaryTermRevisionForm(ProposedChangeForm):
    class Meta:
        model = GlossaryTermRevision
        fields = ["glossary_term", "term", "definition", "aliases", "change_note", "status"]


class ReferenceRevisionForm(ProposedChangeForm):
    class Meta:
        model = ReferenceRevision
        fields = ["reference", *ReferenceRevision.REVISED_FIELDS, "change_note", "status"]


class SharedBlockRevisionForm(ProposedChangeForm):
    class Meta:
        model = SharedBlockRevision
        fields = ["shared_block", "title", "body", "change_note", "status"]
