"""Behind the proxy, the login lockout and the feedback rate limit key on the reader's own address; a client
that is not the proxy cannot choose its address with X-Forwarded-For."""

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from articles.web.client_ip import client_ip

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("remote", "forwarded_for", "expected"),
    [
        (PROXY, None, PROXY),  # not forwarded
        (PROXY, "203.0.113.5", "203.0.113.5"),  # one nginx: it sets the client it saw
        (PROXY, "198.51.100.9, 203.0.113.5", "203.0.113.5"),  # the left entry was sent by the client: ignored
        (PROXY, "203.0.113.5, 10.0.0.2", "203.0.113.5"),  # a load balancer, then the proxy: both trusted
        (PROXY, "10.0.0.2", PROXY),  # only proxies in the header
        (PROXY, "not-an-address", PROXY),
        (PROXY, "2001:db8::7", "2001:db8::7"),
        # Straight from a client, not a trusted proxy: the header is the client's to forge, so it is ignored.
        ("198.51.100.66", "203.0.113.5", "198.51.100.66"),
        ("2001:db8::66", "10.0.0.1, 203.0.113.5", "2001:db8::66"),
    ],
)
def test_forwarded_for_is_believed_only_from_a_trusted_proxy(
    settings, remote: str, forwarded_for: str | None, expected: str
) -> None:
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/24"]
    meta = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_with_no_trusted_proxy_the_header_is_never_believed(settings) -> None:
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == PROXY


def feedback_from(client: Client, address: str, forged: str = "", remote: str = PROXY) -> int:
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        "/feedback/",
        {"page": "side-effects", "helpful": "yes"},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    ).status_code


def test_each_reader_behind_the_proxy_has_their_own_feedback_allowance(
    client: Client, loaded_site: None, settings
) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    assert [feedback_from(client, "203.0.113.5") for _ in range(10)] == [200] * 10
    assert feedback_from(client, "203.0.113.5") == 429
    # A forged left-hand entry does not buy a fresh allowance.
    assert feedback_from(client, "203.0.113.5", forged="198.51.100.1") == 429
    # Another reader, through the same proxy, is not blocked by the first.
    assert feedback_from(client, "203.0.113.6") == 200


def test_a_client_not_behind_the_proxy_cannot_buy_allowances_with_the_header(
    client: Client, loaded_site: None, settings
) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    direct = "198.51.100.77"
    statuses = [feedback_from(client, f"203.0.113.{n}", remote=direct) for n in range(12)]
    assert statuses == [200] * 10 + [429] * 2


@pytest.mark.django_db
def test_a_lockout_cannot_be_dodged_with_the_header_from_outside_the_proxy(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    User.objects.create_user("staffer", password="the-right-password-123", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attacker = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        attacker.post("/admin/login/", {"username": "staffer", "password": "wrong"})
    attacker = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="203.0.113.99")
    locked = attacker.post("/admin/login/", {"username": "staffer", "password": "the-right-password-123"})
    assert locked.status_code in (403, 429)


@pytest.mark.django_db
def test_a_lockout_behind_the_proxy_locks_out_that_address_only(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
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
