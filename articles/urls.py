from django.urls import path

from articles import search_views, views
from articles.feedback import views as feedback_views
from articles.models import OPTIONS_SLUG

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", views.glossary, name="glossary"),
    path("search/", search_views.search, name="search"),
    path("preview/<slug:slug>/", views.article_preview, name="preview"),
    path("preview/proposed/<int:pk>/", views.revision_preview, name="revision_preview"),
    path("feedback/", feedback_views.feedback, name="feedback"),
    path("feedback/comment/", feedback_views.feedback_comment, name="feedback_comment"),
    # Under the options page's own address, which is an article's (/options/).
    path(f"{OPTIONS_SLUG}/summary/", views.options_summary, name="options_summary"),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
