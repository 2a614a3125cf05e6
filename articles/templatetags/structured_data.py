"""schema.org MedicalWebPage data for a page, as JSON-LD.

A JSON-LD block is data, not script, so it needs no CSP exception; "<", ">" and "&" are escaped as Django's
json_script does, so no text from the page can close the element.
"""

import json

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def medical_web_page(context: template.Context, article: Article) -> SafeString:
    request: HttpRequest = context["request"]
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "description": article.summary,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        # A draft in a staff preview may have no review date yet.
        **({"lastReviewed": article.last_reviewed.isoformat()} if article.last_reviewed else {}),
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "inLanguage": "en-US",
    }
    review = article.latest_clinical_review()
    if review:  # only a real, recorded clinical review names a reviewer
        data["reviewedBy"] = {
            "@type": "Person",
            "name": review.reviewer_name,
            "jobTitle": review.reviewer_role,
        }
    payload = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above
