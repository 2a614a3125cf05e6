from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Site content"

    def ready(self) -> None:
        from articles.content_kinds import KINDS
        from articles.models import ClinicalReview
        from articles.registry import register, register_page_source

        register(*KINDS)
        register_page_source(ClinicalReview)
