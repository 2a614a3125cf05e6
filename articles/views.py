"""Public article pages. Every view reads through `published()`, so drafts never reach a visitor."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from articles.decision_aid import (
    FORM_SECTION,
    MATTERS,
    NOT_SURE,
    QUESTIONS_TO_ASK,
    TABLE_SECTION,
    compare_table,
    sections_with_table,
    split_at_certification,
    summary_from,
)
from articles.editorial.editor_preview import refused_preview_response
from articles.models import (
    HOME_SLUG,
    OPTIONS_SLUG,
    Article,
    DecisionOption,
    GlossaryTerm,
    PageRevision,
    oldest_review,
)
from articles.rendering.input_limits import BodyTooComplex


def home(request: HttpRequest) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), slug=HOME_SLUG)
    topics = Article.objects.published().topics()
    return render(request, "articles/home.html", {"article": article, "topics": topics})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if slug == HOME_SLUG:
        return redirect("articles:home", permanent=True)
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return render_article(request, article)


def render_article(request: HttpRequest, article: Article, **extra: object) -> HttpResponse:
    context = {"article": article, **extra}
    if article.slug == HOME_SLUG:
        context["topics"] = Article.objects.published().topics()
        return render(request, "articles/home.html", context)
    if article.slug == OPTIONS_SLUG:
        return render(request, "articles/decision_aid/options.html", {**context, **options_page(article)})
    return render(request, "articles/article_detail.html", context)


def options_page(article: Article) -> dict[str, object]:
    """The decision aid: the article's body, with the table and the form before its last section."""
    options = list(DecisionOption.objects.all())
    intro_html, certification_html = split_at_certification(article.body_html)
    return {
        "intro_html": intro_html,
        "certification_html": certification_html,
        "table": compare_table(
            options,
            cited_before=article.reference_keys,
            anchor_prefix=article.anchor_prefix_for(article.slug),
        ),
        "table_review": oldest_review(DecisionOption.objects.all()),
        "sections": sections_with_table(article.contents_list) if options else article.contents_list,
        "table_section": TABLE_SECTION,
        "form_section": FORM_SECTION,
        "options": options,
        "matters": MATTERS,
        "questions_to_ask": QUESTIONS_TO_ASK,
        "not_sure": NOT_SURE,
    }


@never_cache
def options_summary(request: HttpRequest) -> HttpResponse:
    """The reader's summary, made from the form's answers in the address. Nothing is stored, and no cache
    keeps the page (the browser's history may keep its address, as the form says)."""
    article = get_object_or_404(Article.objects.published(), slug=OPTIONS_SLUG)
    summary = summary_from(dict(request.GET.lists()), list(DecisionOption.objects.all()))
    table = compare_table(summary.options, summary.fields)
    # The aid's publication date, update policy, uncertainty and funding go on paper with it (IPDAS).
    certification_html = split_at_certification(article.body_html)[1]
    return render(
        request,
        "articles/decision_aid/summary.html",
        {
            "article": article,
            "summary": summary,
            "table": table,
            "certification_html": certification_html,
            "form_section": FORM_SECTION,
        },
    )


def render_preview(request: HttpRequest, article: Article) -> HttpResponse:
    """`article` exactly as readers would see it, under a "preview" banner."""
    return render_article(request, article, preview=True)


@never_cache
@staff_member_required
def article_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Any article, whatever its status, exactly as it will look. Staff only."""
    return render_preview(request, get_object_or_404(Article, slug=slug))


@never_cache
@staff_member_required
def revision_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A live page as it would be with the proposed changes published. Staff only."""
    revision = get_object_or_404(PageRevision, pk=pk)
    try:
        return render_preview(request, revision.as_live())
    except BodyTooComplex as refused:
        return refused_preview_response(refused)


def glossary(request: HttpRequest) -> HttpResponse:
    terms = GlossaryTerm.objects.all()
    return render(request, "articles/glossary.html", {"terms": terms, "review_dates": oldest_review(terms)})
