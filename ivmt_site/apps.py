from django.apps import AppConfig
from django.conf import settings
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
        from articles.registry import reserve_paths
        from articles.signals import content_loaded
        from ivmt_site.health import PATH as HEALTH_PATH
        from ivmt_site.page_cache import on_content_loaded, on_content_saved

        # Paths served before the URLconf: no page may be made at them.
        reserve_paths(settings.STATIC_URL.strip("/"), HEALTH_PATH.strip("/"))

        # Every model's saves: the receiver keeps those pages are built from, so a kind any app registers
        # counts, whatever the order of INSTALLED_APPS.
        post_save.connect(on_content_saved, dispatch_uid="page-cache-save")
        post_delete.connect(on_content_saved, dispatch_uid="page-cache-delete")
        content_loaded.connect(on_content_loaded, dispatch_uid="page-cache-content-loaded")
