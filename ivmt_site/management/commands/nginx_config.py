"""`manage.py nginx_config`: the front server's nginx configuration (ivmt_site/front), filled in from the
settings. Prints the site's part (for the http {} block of a system nginx); with --local DIR writes it and a
wrapper that runs nginx as an ordinary user under DIR (`make serve-prod` and the tests do)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from articles.theme import THEME_COOKIE, THEMES
from ivmt_site.front import site_config, write_local
from ivmt_site.page_cache import query_parameters_by_path


class Command(BaseCommand):
    help = "Print (or write, with --local) the nginx configuration of the front server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listen", default="80", help="nginx's listen address, e.g. 8000 or 0.0.0.0:80")
        parser.add_argument("--app", default="127.0.0.1:8001", help="where gunicorn listens (host:port)")
        parser.add_argument(
            "--forwarded-proto",
            default="$scheme",
            help="X-Forwarded-Proto sent to the app: $scheme when nginx terminates TLS itself, https "
            "behind a load balancer that does and accepts nothing else",
        )
        parser.add_argument(
            "--trusted-front",
            default="",
            help="comma-separated addresses or networks of a load balancer or CDN in front, whose "
            "X-Forwarded-For nginx believes",
        )
        parser.add_argument("--cache-dir", type=Path, help="the micro-cache's folder (default DIR/cache)")
        parser.add_argument("--local", type=Path, metavar="DIR", help="write nginx.conf and site.conf here")

    def handle(self, *args: Any, **options: Any) -> None:
        local: Path | None = options["local"]
        cache_dir = options["cache_dir"] or (local / "cache" if local else Path("/var/cache/nginx/ivmt"))
        site = site_config(
            listen=options["listen"],
            app=options["app"],
            static_root=Path(settings.STATIC_ROOT).resolve(),
            cache_dir=cache_dir.resolve() if local else cache_dir,
            session_cookie=settings.SESSION_COOKIE_NAME,
            theme_cookie=THEME_COOKIE,
            themes=THEMES,
            query_parameters=query_parameters_by_path(),
            forwarded_proto=options["forwarded_proto"],
            trusted_front=[part.strip() for part in options["trusted_front"].split(",") if part.strip()],
        )
        if local is None:
            self.stdout.write(site, ending="")
        else:
            self.stdout.write(str(write_local(local, site)))
