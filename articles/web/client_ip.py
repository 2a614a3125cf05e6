"""The reader's own address, for the login lockout (django-axes) and the feedback rate limit.

`X-Forwarded-For` is believed only when the request came from a trusted proxy (TRUSTED_PROXIES: addresses or
networks, e.g. the nginx in front on 127.0.0.1); from anyone else the socket's address (REMOTE_ADDR) is the
client, whatever the header says, since any client can send one. Through trusted proxies the header is read
from the right, skipping entries that are themselves trusted proxies (each proxy appends the address it was
reached from; nginx's real_ip_recursive works the same way): the first untrusted entry is the client. Entries
further left were written by the client and can be forged, so they are never used.
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not is_trusted(remote, networks):
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for entry in reversed(chain):
        try:
            address = str(ipaddress.ip_address(entry))
        except ValueError:
            return remote  # a proxy wrote something that is not an address: do not key anything on it
        if not is_trusted(address, networks):
            return address
    return remote  # no header, or only proxies in it
