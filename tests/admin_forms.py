"""Admin forms as a browser posts them, for tests that open a change form and save it."""

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse


def superuser(name: str) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(name, f"{name}@example.org", "a-long-test-password"))
    return client


def opened_form(client: Client, url: str) -> dict[str, object]:
    """What the change form at `url` posts back unchanged: its fields and its inlines' management forms."""
    response = client.get(url)
    assert response.status_code == 200
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
        forms += inline.formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None:
                continue
            data[field.html_name] = (
                field.field.widget.format_value(value) if hasattr(value, "isoformat") else value
            )
    return data


def change_url(model: type, lookup: dict[str, str]) -> tuple[object, str]:
    record = model.objects.get(**lookup) if lookup else model.objects.get()
    return record, reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk])
