"""gunicorn settings for production: `gunicorn -c ivmt_site/gunicorn.conf.py ivmt_site.wsgi:application`.

It runs behind a proxy that terminates TLS; the proxy's address must be in GUNICORN_FORWARDED_ALLOW_IPS.
"""

import multiprocessing
import os

# Where to listen: the proxy forwards to this address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers spend part of each request waiting on PostgreSQL or Redis: gunicorn's rule of 2 per core + 1.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
# The proxies trusted to say the request came over HTTPS (comma-separated addresses).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access and error logs to stdout/stderr, for the service manager to collect.
accesslog = "-"
errorlog = "-"
# gunicorn 27 opens a control socket under $HOME or $XDG_RUNTIME_DIR by default; the site does not use it.
control_socket_disable = True
