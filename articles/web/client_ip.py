"""The reader's own address, for the login lockout (django-axes) and the feedback rate limit.

Behind the TLS proxy, REMOTE_ADDR is the proxy's address: every reader would share one lockout and one
feedback allowance. Each trusted proxy appends the address it was reached from to X-Forwarded-For (nginx's
$proxy_add_x_forwarded_for, and CDNs, do), so with TRUSTED_PROXY_COUNT proxies the client is exactly that many
entries from the right. Entries further left were written by the client and can be forged, so they are never
used. (The same rule as werkzeug's ProxyFix. django-ipware counts proxies differently: with one proxy it
ignores a one-entry header, which is what a single nginx sends.)
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(chain) < count:
        return remote  # the request did not come through the whole proxy chain
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # a proxy wrote something that is not an address: do not key anything on it
