"""The proxies whose forwarded headers are believed, named once for Django and gunicorn:
DJANGO_TRUSTED_PROXIES (addresses or networks, comma-separated). Django reads it as settings.TRUSTED_PROXIES
(X-Forwarded-For, in articles.web.client_ip); gunicorn.conf.py as forwarded_allow_ips (X-Forwarded-Proto)."""

import os

VARIABLE = "DJANGO_TRUSTED_PROXIES"
# Production: the nginx in front, on the same machine.
LOOPBACK = "127.0.0.1,::1"


def configured(default: str = LOOPBACK) -> str:
    return os.environ.get(VARIABLE, default)
