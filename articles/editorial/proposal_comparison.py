"""What a reviewer reads before publishing proposed changes: the live text against the proposed one, word by
word, on the review form itself and on a page of its own that the dashboard links to."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.editorial.admin_urls import admin_url
from articles.editorial.comparisons import FieldChange, changed_fields, comparison_page, field_labels
from articles.models import ProposedChange

NOTHING_CHANGED = "The proposed text is the same as the live text."


def changes_to_live(change: ProposedChange) -> list[FieldChange]:
    """How publishing `change` would change its live record, field by field."""
    live = change.live_model().objects.get(pk=change.live_id)
    names = change.REVISED_FIELDS
    return changed_fields(
        {name: getattr(live, name) for name in names},
        {name: getattr(change, name) for name in names},
        field_labels(type(live), names),
    )


def comparison_url(change: ProposedChange) -> str:
    return admin_url(change, "compare", change.pk)


class ProposalComparisonAdmin:
    """A ProposedChangeAdmin mixin: the comparison as a read-only field of the form (`compared_with_live`) and
    as its own page (`<id>/compare/`)."""

    def get_urls(self) -> list:
        opts = self.model._meta  # type: ignore[attr-defined]
        compare = path(
            "<path:object_id>/compare/",
            self.admin_site.admin_view(self.compare_view),  # type: ignore[attr-defined]
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]  # type: ignore[misc]

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        change = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if change is None:
            raise Http404
        if not self.has_view_or_change_permission(request, change):  # type: ignore[attr-defined]
            raise PermissionDenied
        return comparison_page(
            request,
            self.admin_site.each_context(request),  # type: ignore[attr-defined]
            change,
            title=f"{change}: what publishing would change",
            labels=("the live text readers see now", f"the proposed changes ({change.change_note})"),
            changes=changes_to_live(change),
            nothing=NOTHING_CHANGED,
            form_url=admin_url(change, "change", change.pk),
        )

    def compared_with_live(self, change: ProposedChange) -> SafeString | str:
        if change.pk is None:
            return "Shown once the changes are saved."
        html = render_to_string(
            "admin/history/changes.html", {"changes": changes_to_live(change), "nothing": NOTHING_CHANGED}
        )
        return format_html(
            '{}<p><a href="{}">Open this comparison on its own page</a></p>', html, comparison_url(change)
        )

    compared_with_live.short_description = "Compared with the live text"  # type: ignore[attr-defined]
