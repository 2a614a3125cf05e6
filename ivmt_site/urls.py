from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ivmt_site import editor_views

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    # The paths django-markdownx's editor posts to (MARKDOWNX_URLS_PATH, MARKDOWNX_UPLOAD_URLS_PATH).
    path("editor/markdownify/", editor_views.markdown_preview, name="markdownx_markdownify"),
    path("editor/upload/", editor_views.image_upload, name="markdownx_upload"),
    path("faq/", include("faq.urls")),
    path("", include("articles.urls")),
]
