"""django-markdownx's preview and upload endpoints answer to staff only; uploads are off."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

PREVIEW = "/editor/markdownify/"
UPLOAD = "/editor/upload/"


def test_the_preview_refuses_anonymous_visitors(client: Client) -> None:
    response = client.post(PREVIEW, {"content": "**hello**"})
    assert response.status_code == 403
    assert b"<strong>" not in response.content


def test_the_preview_refuses_signed_in_non_staff(client: Client) -> None:
    client.force_login(User.objects.create_user("reader", password="a-long-test-password"))
    assert client.post(PREVIEW, {"content": "**hello**"}).status_code == 403


def test_the_preview_checks_csrf(client: Client) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(User.objects.create_superuser("editor", "e@example.org", "a-long-test-password"))
    assert csrf_client.post(PREVIEW, {"content": "**hello**"}).status_code == 403


def test_the_preview_renders_for_staff_through_the_sanitizer(client: Client) -> None:
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "a-long-test-password"))
    response = client.post(PREVIEW, {"content": "**hello** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<strong>hello</strong>" in response.content.decode()
    assert "<script" not in response.content.decode()


def test_the_preview_rejects_get_and_missing_content(client: Client) -> None:
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "a-long-test-password"))
    assert client.get(PREVIEW).status_code == 405
    assert client.post(PREVIEW, {}).status_code == 400


@pytest.mark.parametrize("staff", [False, True])
def test_image_uploads_are_off_for_everyone(client: Client, staff: bool, settings, tmp_path) -> None:
    if staff:
        client.force_login(User.objects.create_superuser("editor", "e@example.org", "a-long-test-password"))
    png = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    response = client.post(UPLOAD, {"image": png})
    assert response.status_code == 403
    assert not (Path(settings.MEDIA_ROOT)).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))


def test_the_admin_edit_page_uses_the_markdownx_editor(client: Client) -> None:
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "a-long-test-password"))
    html = client.get("/admin/articles/article/add/").content.decode()
    assert 'data-markdownx-urls-path="/editor/markdownify/"' in html
