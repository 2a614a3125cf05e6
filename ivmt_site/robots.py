from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    # Previews, feedback and search results are not pages to index. The admin path is not listed: naming it
    # here would advertise it.
    lines = [
        "User-agent: *",
        "Disallow: /preview/",
        "Disallow: /faq/preview/",
        "Disallow: /feedback/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
