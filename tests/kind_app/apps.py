from django.apps import AppConfig


class KindAppConfig(AppConfig):
    name = "tests.kind_app"
    label = "kind_app"

    def ready(self) -> None:
        from articles.models import Status
        from articles.registry import ContentKind, Findable, MarkdownFolder, OnDashboard, register
        from tests.kind_app.models import Leaflet

        register(
            ContentKind(
                Leaflet,
                MarkdownFolder("leaflets"),
                search=Findable("leaflet", findable=lambda rows: rows.filter(status=Status.PUBLISHED)),
                dashboard=OnDashboard("Leaflet"),
            )
        )
