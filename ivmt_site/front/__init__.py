"""The front server's configuration: nginx in front of gunicorn (site.conf), and a wrapper (local.conf) that
runs nginx as an ordinary user with everything it writes under one folder. `manage.py nginx_config` fills in
both from the settings, so the cookie names and the query parameters pages read are written in one place."""

import grp
import os
import pwd
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def fill(template: str, values: dict[str, str]) -> str:
    missing = sorted(set(PLACEHOLDER.findall(template)) - values.keys())
    if missing:
        raise KeyError(f"No value for {', '.join(missing)} in the nginx template.")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def real_ip_lines(trusted_front: Iterable[str]) -> str:
    """Behind a load balancer or CDN (addresses `trusted_front`), the client is the address it appends to
    X-Forwarded-For, read past any of those addresses; from anyone else, the connection's own address."""
    networks = list(trusted_front)
    if not networks:
        return ""
    lines = [f"set_real_ip_from {network};" for network in networks]
    return "\n".join([*lines, "real_ip_header X-Forwarded-For;", "real_ip_recursive on;", ""])


def theme_lines(themes: Iterable[str]) -> str:
    """The theme cookie's known values, each its own; anything else is the default (the first)."""
    themes = list(themes)
    lines = [f"    {theme} {theme};" for theme in themes[1:]]
    return "\n".join([*lines, f"    default {themes[0]};"])


def cached_query_lines(query_parameters: Mapping[str, Iterable[str]]) -> str:
    """A request with a query string is kept only on a page that reads it, with one of the page's parameters
    and nothing else."""
    lines = []
    for path, names in sorted(query_parameters.items()):
        names_regex = "|".join(re.escape(name) for name in sorted(names))
        lines.append(f'    "~^{re.escape(path)}\\?({names_regex})=[^&]*$" 0;')
    return "\n".join(lines)


def site_config(
    *,
    listen: str,
    app: str,
    static_root: Path,
    cache_dir: Path,
    session_cookie: str,
    theme_cookie: str,
    themes: Iterable[str],
    query_parameters: Mapping[str, Iterable[str]],
    forwarded_proto: str = "$scheme",
    trusted_front: Iterable[str] = (),
) -> str:
    return fill(
        (HERE / "site.conf").read_text(),
        {
            "listen": listen,
            "app": app,
            "static_root": str(static_root).rstrip("/"),
            "cache_dir": str(cache_dir),
            "session_cookie": re.escape(session_cookie),
            "theme_cookie": re.escape(theme_cookie),
            "theme_cookie_variable": f"$cookie_{theme_cookie}",
            "themes": theme_lines(themes),
            "cached_queries": cached_query_lines(query_parameters),
            "forwarded_proto": forwarded_proto,
            "real_ip": real_ip_lines(trusted_front),
        },
    )


def write_local(prefix: Path, site: str) -> Path:
    """Write site.conf and the wrapper nginx.conf under `prefix`, with the folders nginx writes to; returns
    the wrapper's path (run `nginx -p PREFIX -c PREFIX/nginx.conf`)."""
    prefix = prefix.resolve()
    for folder in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    (prefix / "site.conf").write_text(site)
    wrapper = prefix / "nginx.conf"
    user = f"{pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name}"
    wrapper.write_text(fill((HERE / "local.conf").read_text(), {"prefix": str(prefix), "user": user}))
    return wrapper
