from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ"

    def ready(self) -> None:
        from articles.registry import register
        from faq.content_kinds import KINDS

        register(*KINDS)
