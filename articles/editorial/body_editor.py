"""The admin's Markdown body editor: django-markdownx's editor and live preview, with the site's care-card
stylesheet (so the preview shows cards as readers see them), the preview beside the text on wide screens
(static/css/body-editor.css), and writing aids beside the body: the syntax guide, the reference keys and the
shared block names."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.template.loader import render_to_string
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget, MarkdownxWidget

from articles.models import ProposedChange, Reference, RenderedBody, SharedBlock


class BodyEditorWidget(MarkdownxWidget, AdminTextareaWidget):
    """markdownx's admin editor without markdownx's admin stylesheet, whose preview rules (every h3 without a
    background, for one) would hide how care cards look."""

    class Media:
        extend = False
        js = AdminMarkdownxWidget.Media.js
        css = {"all": ["css/care-cards.css", "css/body-editor.css"]}


def writing_aids_html(*, uses_blocks: bool) -> str:
    """The syntax guide (templates/admin/writing_guide.html, its one place), the reference keys with short
    titles, and, for a body that may use them, the shared blocks."""
    return render_to_string(
        "admin/writing_aids.html",
        {
            "references": Reference.objects.order_by("key").values_list("key", "title"),
            "blocks": SharedBlock.objects.order_by("slug").values_list("slug", "title")
            if uses_blocks
            else None,
            "uses_blocks": uses_blocks,
        },
    )


class BodyEditorAdmin(MarkdownxModelAdmin):
    """A ModelAdmin whose Markdown fields use the body editor. List "writing_aids" in its fields (and
    readonly fields) to show the writing aids beside the body."""

    formfield_overrides = {MarkdownxField: {"widget": BodyEditorWidget}}

    def body_model(self) -> type[models.Model]:
        """The model whose body rules apply: a proposed change's live record's."""
        model = self.model
        return model.live_model() if issubclass(model, ProposedChange) else model

    @admin.display(description="Writing help")
    def writing_aids(self, obj: models.Model | None = None) -> str:
        model = self.body_model()
        return writing_aids_html(uses_blocks=issubclass(model, RenderedBody) and model.USES_BLOCKS)
