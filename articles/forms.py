"""Admin forms: a body is checked as the loader checks a file, with the problem and line named."""

from django import forms

from articles.change_log import ChangeLogField
from articles.citations import link_citations
from articles.models import ABOUT_SLUG, HOME_SLUG, Article, Reference
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
