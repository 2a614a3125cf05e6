"""Behind the TLS proxy, the login lockout and the feedback rate limit key on the reader's own address."""

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from articles.web.client_ip import client_ip

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.5", PROXY),  # no trusted proxy: the header is the client's to forge, so it is ignored
        (1, None, PROXY),  # not through the proxy
        (1, "203.0.113.5", "203.0.113.5"),  # one nginx: it appends the client it saw
        (1, "198.51.100.9, 203.0.113.5", "203.0.113.5"),  # the left entry was sent by the client: ignored
        (2, "203.0.113.5, 192.0.2.1", "203.0.113.5"),  # a CDN, then the proxy
        (2, "203.0.113.5", PROXY),  # too short for two proxies: not the expected path
        (1, "not-an-address", PROXY),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_is_found_counting_trusted_proxies_from_the_right(
    settings, proxies: int, forwarded_for: str | None, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def feedback_from(client: Client, address: str, forged: str = "") -> int:
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        "/feedback/",
        {"page": "side-effects", "helpful": "yes"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    ).status_code


def test_each_reader_behind_the_proxy_has_their_own_feedback_allowance(
    client: Client, loaded_site: None, settings
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert [feedback_from(client, "203.0.113.5") for _ in range(10)] == [200] * 10
    assert feedback_from(client, "203.0.113.5") == 429
    # A forged left-hand entry does not buy a fresh allowance.
    assert feedback_from(client, "203.0.113.5", forged="198.51.100.1") == 429
    # Another reader, through the same proxy, is not blocked by the first.
    assert feedback_from(client, "203.0.113.6") == 200


@pytest.mark.django_db
def test_a_lockout_behind_the_proxy_locks_out_that_address_only(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("staffer", password="the-right-password-123", is_staff=True)
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": "staffer", "password": "wrong"})
    locked = attacker.post("/admin/login/", {"username": "staffer", "password": "the-right-password-123"})
    assert locked.status_code in (403, 429)
    # The real staff member, at another address behind the same proxy, can still sign in.
    staff = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    signed_in = staff.post("/admin/login/", {"username": "staffer", "password": "the-right-password-123"})
    assert signed_in.status_code == 302
