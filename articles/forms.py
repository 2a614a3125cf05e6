"""Admin forms: a body that cites an unknown reference is refused with the key and line named."""

from django import forms

from articles.citations import link_citations
from articles.models import Reference


def check_citations(text: str) -> str:
    unknown = link_citations(text, Reference.known_keys()).unknown
    if unknown:
        raise forms.ValidationError(
            [
                f"Line {miss.line}: [@{miss.key}] is not a reference. Add it under References first."
                for miss in unknown
            ]
        )
    return text


class CitingBodyForm(forms.ModelForm):
    """A ModelForm whose Markdown field (`body_field`) may cite references."""

    body_field = "body"

    def clean(self) -> dict:
        cleaned = super().clean()
        text = cleaned.get(self.body_field)
        if text:
            try:
                check_citations(text)
            except forms.ValidationError as error:
                self.add_error(self.body_field, error)
        return cleaned
