"""Where a model's admin pages are: one rule for every link the editorial tools make to them."""

from django.db.models import Model
from django.urls import reverse

ADMIN_SITE = "admin"  # the admin site's URL namespace (ivmt_site.admin_site)


def admin_url(model: type[Model] | Model, view: str, *args: object, site: str = ADMIN_SITE) -> str:
    """The URL of one of the admin's views of `model` (a model or one of its records): "changelist",
    "add", "change", "history", or a view the model's admin adds ("compare", "revision"), with its `args`.
    Raises NoReverseMatch when the admin has no such view."""
    opts = model._meta
    return reverse(f"{site}:{opts.app_label}_{opts.model_name}_{view}", args=args)
