"""Public article pages. Every view reads through `published()`, so drafts never reach a visitor."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from articles.models import HOME_SLUG, Article, GlossaryTerm, PageRevision, oldest_review


def home(request: HttpRequest) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), slug=HOME_SLUG)
    topics = Article.objects.published().topics()
    return render(request, "articles/home.html", {"article": article, "topics": topics})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if slug == HOME_SLUG:
        return redirect("articles:home", permanent=True)
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return render(request, "articles/article_detail.html", {"article": article})


def render_preview(request: HttpRequest, article: Article) -> HttpResponse:
    """`article` exactly as readers would see it, under a "preview" banner."""
    context = {"article": article, "preview": True}
    if article.slug == HOME_SLUG:
        return render(
            request, "articles/home.html", {**context, "topics": Article.objects.published().topics()}
        )
    return render(request, "articles/article_detail.html", context)


@never_cache
@staff_member_required
def article_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Any article, whatever its status, exactly as it will look. Staff only."""
    return render_preview(request, get_object_or_404(Article, slug=slug))


@never_cache
@staff_member_required
def revision_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A live page as it would be with the proposed changes published. Staff only."""
    return render_preview(request, get_object_or_404(PageRevision, pk=pk).as_live())


def glossary(request: HttpRequest) -> HttpResponse:
    terms = GlossaryTerm.objects.all()
    return render(request, "articles/glossary.html", {"terms": terms, "review_dates": oldest_review(terms)})
