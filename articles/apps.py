from django.apps import AppConfig

# Everything a public page is built from. Saving or deleting any of them changes a page (the page cache in
# ivmt_site drops its pages on their signals). Feedback is deliberately absent: a vote changes no page.
CONTENT_MODELS = (
    "articles.Article",
    "articles.Reference",
    "articles.GlossaryTerm",
    "articles.ClinicalReview",
    "articles.Disclaimer",
    "articles.SharedBlock",
    "faq.Category",
    "faq.Question",
)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Site content"
