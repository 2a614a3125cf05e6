"""Light and low-light themes. The page follows the device's colour scheme unless the reader picks one.

The choice is a cookie set by a plain form, so the switch works without JavaScript.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

THEME_COOKIE = "theme"
THEMES = ("auto", "light", "dark")
ONE_YEAR = 365 * 24 * 60 * 60


def theme_of(request: HttpRequest) -> str:
    value = request.COOKIES.get(THEME_COOKIE, "auto")
    return value if value in THEMES else "auto"


# No CSRF token: the form is on every public page, and a token would give each reader their own copy of the
# page, which could then not be cached. A forged post can only change how the site looks in that browser.
@csrf_exempt
@require_POST
def set_theme(request: HttpRequest) -> HttpResponse:
    theme = request.POST.get("theme", "auto")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = "/"  # never redirect off the site
    response = HttpResponseRedirect(next_url)
    if theme in ("light", "dark"):
        response.set_cookie(THEME_COOKIE, theme, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    return response
