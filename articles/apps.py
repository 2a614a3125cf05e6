from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Site content"

    def ready(self) -> None:
        from articles.content_kinds import KINDS
        from articles.models import OPTIONS_SLUG, ClinicalReview
        from articles.registry import allow_subpaths_of, register, register_page_source

        register(*KINDS)
        register_page_source(ClinicalReview)
        allow_subpaths_of(OPTIONS_SLUG)  # /options/summary/ belongs to the options article
