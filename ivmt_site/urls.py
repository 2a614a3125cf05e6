from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import SITEMAPS
from articles.theme import set_theme
from ivmt_site import editor_views
from ivmt_site.robots import robots_txt

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    # The paths django-markdownx's editor posts to (MARKDOWNX_URLS_PATH, MARKDOWNX_UPLOAD_URLS_PATH).
    path("editor/markdownify/", editor_views.markdown_preview, name="markdownx_markdownify"),
    path("editor/upload/", editor_views.image_upload, name="markdownx_upload"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("theme/", set_theme, name="set-theme"),
    path("faq/", include("faq.urls")),
    path("", include("articles.urls")),
]

handler500 = "ivmt_site.errors.server_error"
