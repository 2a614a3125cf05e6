"""Settings for the IVMT patient-information site.

Everything that differs between a laptop and production comes from the environment: DJANGO_DEBUG,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL, and for email to editors the mail server
(EMAIL_HOST and its kin) and SITE_URL. With none of them set the site runs locally on a SQLite file with
development defaults, printing email to the console. With DJANGO_DEBUG=false the first five are required, and
the site refuses to start without them rather than run in production on a development default.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from ivmt_site import trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is false (production mode). See README.md, 'Settings'."
        )
    return value


def env_networks(name: str, default: str) -> list[str]:
    """Comma-separated IP addresses or networks (CIDR), each checked here so that a typo stops start-up."""
    networks = [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {network!r} is not an IP address or network.") from None
    return networks


DEBUG = env_bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
    ALLOWED_HOSTS = [
        h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()
    ] or [
        "127.0.0.1",
        "localhost",
        "[::1]",
    ]
    DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    REDIS_URL = os.environ.get("REDIS_URL", "").strip()
else:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in env_required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
    DATABASE_URL = env_required("DATABASE_URL")
    # Required: every worker and server must see the same cached pages and the same content version, or an
    # edit would show on one and not another.
    REDIS_URL = env_required("REDIS_URL")

# Production keeps a connection open for a minute and checks it before reuse; debugging opens one per request.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DEBUG else 60, conn_health_checks=True)
}

# --- Hung dependencies (issue 15): how long the site waits on PostgreSQL in production. ---
# A database that stops answering must cost a reader a few seconds and a 503 page, not a request that hangs
# and holds one of gunicorn's threads. PostgreSQL gives up on connecting after DATABASE_CONNECT_TIMEOUT and on
# a statement after DATABASE_STATEMENT_TIMEOUT; the backend (ivmt_site/postgres) gives up on any wait a
# second later, which also covers a server or network that froze (PostgreSQL's limits cannot: nothing comes
# back).
# Production only: tests and local commands (creating a test database, the 10,000-page benchmark) may wait.
# Set DJANGO_DB_STATEMENT_TIMEOUT=0 for a one-off command that needs longer (a large migration, say).
DATABASE_CONNECT_TIMEOUT = 2  # seconds (libpq's smallest useful value)
DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "3"))
if not DEBUG and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "ivmt_site.postgres"
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    if DATABASE_STATEMENT_TIMEOUT > 0:
        database_options["options"] = f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}"
        database_options["deadline"] = DATABASE_STATEMENT_TIMEOUT + 1
# --- end of hung dependencies ---

if REDIS_URL:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    CACHES = {
        "default": {
            # Django's RedisCache, reusing its redis-py client (see the module for the measured reason).
            "BACKEND": "ivmt_site.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Lets several sites (or test runs) share one Redis without seeing each other's keys.
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "ivmt"),
            # A page is served from the database when Redis is away, so give up on it quickly: half a second
            # to connect or answer, one retry, no back-off sleeps.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": Retry(NoBackoff(), 1)},
        }
    }
else:
    # One process (runserver, the tests): its own memory is the whole cache.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages are cached whole (ivmt_site.page_cache). Any content change drops them all at once; the timeout
# covers the one case that cannot: a change saved while Redis was unreachable shows at most this long after
# Redis returns. CDNs may keep a page PAGE_CACHE_SHARED_MAX_AGE seconds before asking again.
PAGE_CACHE_TIMEOUT = 5 * 60
PAGE_CACHE_SHARED_MAX_AGE = int(os.environ.get("DJANGO_CDN_MAX_AGE", "60"))

INSTALLED_APPS = [
    "ivmt_site.apps.IvmtAdminConfig",  # Django's admin, with the editors' review dashboard on its index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # site search: SearchVectorField and its lookups (articles.search_text)
    "markdownx",
    "reversion",
    "axes",
    "articles",
    "faq",
    "ivmt_site.apps.SiteConfig",  # connects the page cache to content changes (after the apps it listens to)
]

MIDDLEWARE = [
    # First: the load balancer's probe is answered before the host check and the HTTPS redirect.
    "ivmt_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ itself (compressed, cached for ever under hashed names in production).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After the HTTPS redirect and static files, before everything else: a cached page (stored with the
    # headers the middleware below added) is served without sessions, CSRF, auth or the database.
    # SecurityMiddleware above still adds its headers (HSTS, nosniff, referrer policy) to every answer.
    "ivmt_site.page_cache.PageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ivmt_site.permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # While the database is known not to answer, what the page cache could not serve gets the outage page at
    # once (ivmt_site.errors), without the work of a view bound to fail. Placed below every middleware that
    # adds headers (CSP, Permissions-Policy, X-Frame-Options), none of which reads the database first.
    "ivmt_site.errors.KnownOutageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear "locked" page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins from a locked-out user/address first
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins: 5 tries per user name and address, then locked out for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "articles.web.client_ip.client_ip"
# The proxies whose X-Forwarded-For is believed (articles.web.client_ip): addresses or networks (CIDR).
# Production runs behind its own nginx on the same machine (loopback); from any other address the socket's
# address is the client's, whatever the header says. None while debugging (runserver has no proxy in front).
TRUSTED_PROXIES = env_networks(trusted_proxies.VARIABLE, "" if DEBUG else trusted_proxies.LOOPBACK)

# The admin's address, e.g. DJANGO_ADMIN_PATH=editors-7f3a/ to keep it off the usual scanners' list.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
# Only staff have sessions. They end after 8 hours, or when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

ROOT_URLCONF = "ivmt_site.urls"
WSGI_APPLICATION = "ivmt_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site_frame",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Production serves the files `collectstatic` wrote: hashed names and gzip/Brotli copies (WhiteNoise). While
# debugging (and in the tests) the plain storage serves straight from static/, so nothing needs collecting.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every response: scripts, styles, images and forms only from this site, no inline
# script or style (the JSON-LD block is data, which CSP does not govern), no plugins, no framing. The admin
# (Django 6.1's templates and django-markdownx's widget) needs nothing more.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

if not DEBUG:
    # Production runs behind a proxy that terminates TLS and sets X-Forwarded-Proto (and overwrites any value
    # a client sent). Plain-HTTP requests are redirected to HTTPS; cookies only travel over HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Off only for `make serve-prod`, which serves plain HTTP on 127.0.0.1 (its nginx terminates no TLS).
    SECURE_SSL_REDIRECT = env_bool("DJANGO_HTTPS_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Asking browsers to preload HSTS is a commitment for the whole domain that is slow to undo, so it is the
    # site owner's choice (DJANGO_HSTS_PRELOAD=true); until then Django's reminder about it is silenced.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    # CSRF_TRUSTED_ORIGINS is not needed: the proxy passes the Host header through and X-Forwarded-Proto makes
    # the request secure, so a form's Origin (https://<allowed host>) is the request's own origin.

# The site's address, for links in emails (they are read away from the site, so links must be whole).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"

# Email to editors and reviewers (articles.editorial.notifications), through Django's mailers: sent by SMTP
# when EMAIL_HOST names a mail server, otherwise printed to the console (the log, in production).
mail_host = os.environ.get("EMAIL_HOST", "").strip()
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": mail_host,
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            # A save waits while its email is handed over: a mail server that does not answer must not hold
            # it long (the save stands either way; the editor is told the email was not sent).
            "timeout": 10,
        },
    }
    if mail_host
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "IVMT editors <webmaster@localhost>"
if not DEBUG and not mail_host:
    # Email is a convenience here (the dashboard lists everything it tells): a site without a mail server
    # runs, writing its emails to the log, which Django's deploy check would otherwise call an error.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "mail.E001"]

# Where `loadcontent` reads from unless told otherwise.
CONTENT_DIR = BASE_DIR / "content"

# django-markdownx: its preview goes through the one sanitizing renderer, and its two endpoints are served
# by ivmt_site.editor_views (staff only; uploads refused) at these paths instead of markdownx.urls.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.editorial.editor_preview.preview_html"
MARKDOWNX_URLS_PATH = "/editor/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/editor/upload/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_during_outage": {"()": "ivmt_site.errors.QuietDuringOutage"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_during_outage"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
