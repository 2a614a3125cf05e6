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

from articles.change_log import strict_iso_date
from articles.models import is_content_slug, validate_content_slug

# Django's messages, reworded to follow the field's name ("'summary' is 161 characters long; ...").
_MESSAGES = {
    "required": "must not be empty",
    "max_length": "is %(show_value)d characters long; the limit is %(limit_value)d",
    "max_value": "must be %(limit_value)s or less",
    "min_value": "must be %(limit_value)s or more",
    "invalid_choice": "must be one of %(choices)s, not %(value)r",
}
_DIGITS = re.compile(r"[0-9]+")
# Model rules whose message names the admin's labels, in a file's words (a whole sentence, with the error's
# params).
_FILE_WORDING = {
    "review_dates_missing": "missing required key(s) %(missing)s: a published record needs both review dates "
    "(only a draft, or one in review, may leave them out)",
}


def file_problems(name: str, errors: list[ValidationError]) -> list[str]:
    """The problems a model's validation found in field `name`, each as check_values reports it."""
    problems = []
    for error in errors:
        if error.code in _FILE_WORDING:
            problems.append(_FILE_WORDING[error.code] % (error.params or {}))
        else:
            problems += [m if name == NON_FIELD_ERRORS else about(name, m) for m in error.messages]
    return problems


class IsoDateField(forms.DateField):
    """Only YYYY-MM-DD: a file is read by people in many countries, and 2026-11-26 reads one way only."""

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        parsed = strict_iso_date(str(value).strip())
        if parsed is None:
            raise ValidationError(f"must be a real date written YYYY-MM-DD, not {value!r}", code="invalid")
        return parsed


class WholeNumberField(forms.IntegerField):
    """Digits only: not "1_000", "+3" or "12.0", which Python's int() or Django's field would accept."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if not _DIGITS.fullmatch(str(value).strip()):
            raise ValidationError(f"must be a whole number, not {value!r}", code="invalid")
        return int(str(value).strip())


class YamlValueField(forms.Field):
    """A JSON field's value as YAML gives it (a list, a mapping), passed to the model's own rules as it is:
    never parsed as JSON text, and an empty list stays a list."""

    empty_values = (None, "")

    def __init__(self, *, encoder: Any = None, decoder: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # the JSON encoder and decoder have nothing to do here

    def to_python(self, value: Any) -> Any:
        return value


def _form_field(model_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(model_field, models.JSONField):
        kwargs["form_class"] = YamlValueField
    elif isinstance(model_field, models.URLField):
        # Only the model's validators: Django's form URLField would quietly add "https://" to "doi.org/...".
        kwargs["form_class"] = forms.CharField
    elif isinstance(model_field, models.DateField):
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
def form_fields(model: type[models.Model]) -> dict[str, forms.Field]:
    """The form fields of a ModelForm over the fields a file sets, built once per model. Their clean() keeps
    no state, so one set serves every file (a form instance per file would copy them all, which costs more
    than the checks at 10,000 files)."""
    return forms.fields_for_model(model, fields=file_fields(model), formfield_callback=_form_field)


def relation_fields(model: type[models.Model]) -> list[Any]:
    return [
        field for field in (model._meta.get_field(name) for name in model.CONTENT_FIELDS) if field.is_relation
    ]


def about(name: str, message: str) -> str:
    """A field's problem, after its name: "'summary' is 161 characters long", "'url': Enter a valid URL."."""
    return f"'{name}': {message}" if message[:1].isupper() else f"'{name}' {message}"


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
    name in quotes. What a ModelForm does, field by field: the form fields' clean(), then the model's
    full_clean() on the values that passed (its validators and clean(), without the database). Keys not
    present are left to the caller (it reports unknown and missing keys); the record's defaults stand in for
    them. `key`, when known, is set on the record its clean() sees (whether a page is a topic page depends on
    it)."""
    fields = form_fields(model)
    cleaned: dict[str, Any] = {}
    problems: list[str] = []
    for name, form_field in fields.items():
        if name not in raw:
            continue
        value = raw[name]
        if not (value is None or isinstance(value, str) or isinstance(form_field, YamlValueField)):
            kind = "list" if isinstance(value, list) else "mapping"
            problems.append(f"'{name}' must be text, not a {kind}")
            continue
        try:
            cleaned[name] = form_field.clean(tidy(value))
        except ValidationError as error:
            problems += [about(name, message) for message in error.messages]
    record = model(**({model.KEY_FIELD: key} if key is not None else {}))
    for name, value in cleaned.items():
        model_field = model._meta.get_field(name)
        setattr(record, name, model_field.get_default() if value is None and not model_field.null else value)
    try:
        record.full_clean(
            exclude=[f.name for f in model._meta.fields if f.name not in cleaned],
            validate_unique=False,
            validate_constraints=False,  # the database would be asked; clean() says the same in words
        )
    except ValidationError as error:
        for name, errors in error.error_dict.items():
            problems += file_problems(name, errors)
    if problems:
        return {}, problems
    values = {name: getattr(record, name) for name in fields}
    for relation in relation_fields(model):
        # Named by the related record's key; whether that record exists is checked across files later.
        key = raw.get(relation.name)
        if key is None:
            continue  # a missing required key is the caller's to report
        try:
            if not is_content_slug(key):
                raise ValidationError(validate_content_slug.message)
        except ValidationError as error:
            problems += [about(relation.name, f"{message}, not {key!r}") for message in error.messages]
        values[relation.name] = key
    return values, problems
