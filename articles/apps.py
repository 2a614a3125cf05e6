from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save

# Everything a public page is built from. Saving or deleting any of them drops the cached pages at once;
# Feedback is deliberately absent: a reader's vote changes no page.
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

    def ready(self) -> None:
        from ivmt_site.page_cache import on_content_saved

        for label in CONTENT_MODELS:
            model = apps.get_model(label)
            post_save.connect(on_content_saved, sender=model, dispatch_uid=f"page-cache-save-{label}")
            post_delete.connect(on_content_saved, sender=model, dispatch_uid=f"page-cache-delete-{label}")
