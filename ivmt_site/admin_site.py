"""The admin site: Django's own, with the review dashboard on its first page."""

from datetime import date

from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.template.response import TemplateResponse

from articles.editorial.dashboard import review_dashboard


class IvmtAdminSite(AdminSite):
    site_header = "IVMT patient information: editors"
    site_title = "IVMT editors"
    index_title = "Review dashboard and content"
    index_template = "admin/ivmt_index.html"

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        context = {**(extra_context or {}), "dashboard": review_dashboard(today=date.today())}
        return super().index(request, context)
