"""The articles app's kinds of content, as the content system knows them (see articles.registry).
ArticlesConfig.ready() registers them."""

from django.utils.text import slugify

from articles.models import (
    ABOUT_SLUG,
    HOME_SLUG,
    Article,
    ArticleQuerySet,
    DecisionOption,
    Disclaimer,
    GlossaryTerm,
    Reference,
    SharedBlock,
)
from articles.registry import (
    ContentKind,
    Findable,
    MarkdownFolder,
    OnDashboard,
    SingleFile,
    YamlList,
)

REFERENCES = ContentKind(
    Reference,
    YamlList(
        "site/references.yaml",
        header=(
            "# Every source the site cites, once. Format: content/README.md.\n"
            "# Titles are exact where verified; a title in square brackets is a description.\n"
            "# url: a link a reader can open (DOI, PubMed, DailyMed label, publisher's page), checked "
            "against\n# the source; a source without one has a link_note saying why.\n"
        ),
    ),
    dashboard=OnDashboard("Reference", changes_label="Changes to a reference"),
)
GLOSSARY = ContentKind(
    GlossaryTerm,
    YamlList(
        "site/glossary.yaml",
        derive_key=lambda values: slugify(values["term"]),
        header=(
            "# Plain-language definitions. Format: content/README.md.\n"
            "# Each term (or alias) appears in at least one article or FAQ answer. "
            "Definitions: grade 6 or lower, no citations.\n"
        ),
        export_order=lambda key, values: (str(values["term"]).casefold(), str(values["term"])),
    ),
    search=Findable("glossary", listing_order=3),
    dashboard=OnDashboard("Glossary term", changes_label="Changes to a glossary term"),
    renders_into_bodies="all",  # its first use on every page links to it
)
DISCLAIMER = ContentKind(
    Disclaimer,
    SingleFile("site/disclaimer.md"),
    dashboard=OnDashboard("Disclaimer", changes_label="Changes to the disclaimer"),
)
SHARED_BLOCKS = ContentKind(
    SharedBlock,
    MarkdownFolder("blocks"),
    dashboard=OnDashboard("Shared block", changes_label="Changes to a shared block"),
    renders_into_bodies="users",
)
ARTICLES = ContentKind(
    Article,
    MarkdownFolder("articles", required_keys=(HOME_SLUG, ABOUT_SLUG)),
    search=Findable("page", findable=ArticleQuerySet.published, listing_order=1),
    dashboard=OnDashboard("Page", changes_label="Changes to a live page", review_reminders=True),
)
DECISION_OPTIONS = ContentKind(
    DecisionOption,
    YamlList(
        "decision-aid/options.yaml",
        header=(
            "# The decision aid's options: the table on /options/. Format: content/README.md.\n"
            "# Every option answers every question, each in one short paragraph; every figure is cited and\n"
            '# written as "X in 100".\n'
        ),
        export_order=lambda key, values: (values["order"], key),
    ),
    dashboard=OnDashboard("Decision aid option", review_reminders=True),
)
KINDS = (REFERENCES, GLOSSARY, DISCLAIMER, SHARED_BLOCKS, ARTICLES, DECISION_OPTIONS)
