"""Front matter and YAML list entries, checked with Django's own form and model validation.

Each kind gets a ModelForm over the fields its files set (CONTENT_FIELDS, less the Markdown body and any
relation): the limits are the model's own (max_length, choices, validators, clean()), so a limit changed in a
model applies to files and to the admin alike. What files need beyond a browser form is here: values arrive
as YAML text (read with BaseLoader, so "no" stays "no"), dates must be written YYYY-MM-DD, whole numbers as
digits, and messages name the key so that the loader can say which file, entry and field is wrong.
"""

import re
from datetime import date
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

# Django's messages, reworded to follow the field's name ("'summary' is 161 characters long; ...").
_MESSAGES = {
    "required": "must not be empty",
    "max_length": "is %(show_value)d characters long; the limit is %(limit_value)d",
    "max_value": "must be %(limit_value)s or less",
    "min_value": "must be %(limit_value)s or more",
    "invalid_choice": "must be one of %(choices)s, not %(value)r",
}
_DIGITS = re.compile(r"\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IsoDateField(forms.DateField):
    """Only YYYY-MM-DD: a file is read by people in many countries, and 2026-11-26 reads one way only."""

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                f"must be a real date written YYYY-MM-DD, not {value!r}", code="invalid"
            ) from None


class WholeNumberField(forms.IntegerField):
    """Digits only: not "1_000", "+3" or "12.0", which Python's int() or Django's field would accept."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if not _DIGITS.fullmatch(str(value).strip()):
            raise ValidationError(f"must be a whole number, not {value!r}", code="invalid")
        return int(str(value).strip())


def _form_field(model_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(model_field, models.DateField):
        kwargs["form_class"] = IsoDateField
    elif isinstance(model_field, models.IntegerField) and not model_field.choices:
        kwargs["form_class"] = WholeNumberField
    form_field = model_field.formfield(**kwargs)
    if form_field is None:
        return None
    form_field.error_messages.update(_MESSAGES)
    if isinstance(form_field, forms.ChoiceField):
        form_field.error_messages["invalid_choice"] = _MESSAGES["invalid_choice"] % {
            "choices": ", ".join(str(value) for value, _ in model_field.choices),
            "value": "%(value)s",
        }
    return form_field


class FrontMatterForm(forms.ModelForm):
    """Checks one record's values as a file gives them; never touches the database."""

    def validate_unique(self) -> None:
        """Keys are checked across all files by the loader; the database is not read here."""

    def validate_constraints(self) -> None:
        """Constraints are the models' clean() rules here (validate_constraints would query the database)."""


def file_fields(model: type[models.Model]) -> list[str]:
    """The fields a file sets that the form checks: CONTENT_FIELDS less the Markdown body and relations
    (a relation is named by the related record's key, checked across files by the loader)."""
    source = getattr(model, "SOURCE_FIELD", None)
    return [
        name
        for name in model.CONTENT_FIELDS
        if name != source and not model._meta.get_field(name).is_relation
    ]


@cache
def form_for(model: type[models.Model]) -> type[FrontMatterForm]:
    return forms.modelform_factory(
        model, form=FrontMatterForm, fields=file_fields(model), formfield_callback=_form_field
    )


def relation_fields(model: type[models.Model]) -> list[Any]:
    return [
        field for field in (model._meta.get_field(name) for name in model.CONTENT_FIELDS) if field.is_relation
    ]


def tidy(value: Any) -> Any:
    """Whitespace collapsed in every text, as a browser form's single line would give it."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [tidy(item) for item in value]
    if isinstance(value, dict):
        return {key: tidy(item) for key, item in value.items()}
    return value


def check_values(
    model: type[models.Model], raw: dict[str, Any], *, key: str | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The model's values from a file's raw mapping, or the problems found, each starting with the field's
    name in quotes. Keys not present are left to the caller (it reports unknown and missing keys). `key`, when
    known, is set on the record the model's clean() sees (whether a page is a topic page depends on it)."""
    form_class = form_for(model)
    data: dict[str, Any] = {}
    problems: list[str] = []
    not_text: set[str] = set()
    for name, form_field in form_class.base_fields.items():
        if name not in raw:
            continue  # left out: the form keeps the model's default
        value = raw[name]
        if value is None or isinstance(value, str) or isinstance(form_field, forms.JSONField):
            data[name] = tidy(value)
        else:
            not_text.add(name)
            problems.append(
                f"'{name}' must be text, not a {'list' if isinstance(value, list) else 'mapping'}"
            )
    instance = model(**{model.KEY_FIELD: key}) if key is not None else None
    form = form_class(data=data, instance=instance)
    if not form.is_valid():
        problems += [
            message if name == NON_FIELD_ERRORS else f"'{name}' {message}"
            for name, messages in form.errors.items()
            # A missing required key is reported once, by the caller; a value that is not text, above.
            if name == NON_FIELD_ERRORS
            or (name not in not_text and (name in raw or not form_class.base_fields[name].required))
            for message in messages
        ]
    if problems or not form.is_valid():
        return {}, problems
    values = {}
    for name in form_class.base_fields:
        value = form.cleaned_data[name]
        model_field = model._meta.get_field(name)
        if value is None and not model_field.null:
            value = model_field.get_default()
        values[name] = value
    for relation in relation_fields(model):
        key = raw.get(relation.name)
        key_field = relation.related_model._meta.get_field(relation.related_model.KEY_FIELD)
        try:
            values[relation.name] = key_field.clean(key if isinstance(key, str) else None, None)
        except ValidationError as error:
            problems += [f"'{relation.name}' {message}" for message in error.messages]
    return values, problems
