"""django-markdownx's two endpoints, for staff only.

markdownx's own views check CSRF but not who is asking, and its upload trusts the client's file name and type.
The preview here answers only to logged-in staff and goes through the one sanitizing renderer; image uploads
are turned off (the site's pages are text).
"""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from articles.editorial.editor_preview import preview_html


def _is_staff(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.is_active and request.user.is_staff


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    if not _is_staff(request):
        return HttpResponse(
            "The preview is for signed-in editors only.", status=403, content_type="text/plain"
        )
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("Missing 'content'.", content_type="text/plain")
    # A text beyond the input limits (length included) is not rendered: the preview says why.
    return HttpResponse(preview_html(content))


@require_POST
def image_upload(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"error": "Image uploads are turned off on this site."}, status=403)
