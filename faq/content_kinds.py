"""The FAQ's kinds of content, as the content system knows them (see articles.registry).
FaqConfig.ready() registers them."""

from articles.registry import ContentKind, Findable, MarkdownFolder, OnDashboard, YamlList
from faq.models import Category, Question, QuestionQuerySet

CATEGORIES = ContentKind(
    Category,
    YamlList("faq/categories.yaml", export_order=lambda key, values: (values["order"], key)),
)
QUESTIONS = ContentKind(
    Question,
    MarkdownFolder("faq"),
    search=Findable("faq", findable=QuestionQuerySet.published, listing_order=2),
    dashboard=OnDashboard("FAQ", changes_label="Changes to a live FAQ answer"),
)
KINDS = (CATEGORIES, QUESTIONS)
