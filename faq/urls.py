from django.urls import path

from faq import views

app_name = "faq"

urlpatterns = [
    path("", views.faq_index, name="index"),
    path("preview/", views.faq_preview, name="preview"),
    path("preview/proposed/<int:pk>/", views.revision_preview, name="revision_preview"),
]
