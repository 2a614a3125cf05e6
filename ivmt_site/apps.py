from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_delete, post_save


class IvmtAdminConfig(AdminConfig):
    default_site = "ivmt_site.admin_site.IvmtAdminSite"


class SiteConfig(AppConfig):
    """The project shell as an app: it connects the page cache to the content system's changes, so that the
    content system never imports the page cache (the dependency points one way, down)."""

    name = "ivmt_site"
    verbose_name = "Site"

    def ready(self) -> None:
        from articles.registry import page_sources
        from articles.signals import content_loaded
        from ivmt_site.page_cache import on_content_loaded, on_content_saved

        for model in page_sources():
            label = model._meta.label
            post_save.connect(on_content_saved, sender=model, dispatch_uid=f"page-cache-save-{label}")
            post_delete.connect(on_content_saved, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        content_loaded.connect(on_content_loaded, dispatch_uid="page-cache-content-loaded")
