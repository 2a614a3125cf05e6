"""gunicorn settings for production: `gunicorn -c ivmt_site/gunicorn.conf.py ivmt_site.wsgi:application`.

It runs behind the front server, nginx on the same machine (ivmt_site/front), which buffers every request
and answer; TLS is terminated by that nginx or by a load balancer in front of it. The proxies whose forwarded
headers are believed are DJANGO_TRUSTED_PROXIES (ivmt_site.trusted_proxies), as for Django.
"""

import multiprocessing
import os

from ivmt_site import trusted_proxies

# Where to listen: the nginx in front forwards to this address (readers never reach it).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes: one per core, plus one. Each runs a few threads, because a request spends part of its time
# waiting on Redis or PostgreSQL, and threaded workers keep connections alive between requests (sync workers
# close each one), which a proxy or CDN in front reuses. More processes than that (gunicorn's 2 per core + 1
# is meant for sync workers) only add switching between them: on 2 cores, 5 processes had a p99 of 46-48 ms
# for a cached page where 3 had 36-44 ms, at the same rate (wrk, 64 connections, interleaved rounds).
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() + 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
# The proxies trusted to say the request came over HTTPS: the same as Django's.
forwarded_allow_ips = trusted_proxies.configured()
# Access and error logs to stdout/stderr, for the service manager to collect.
accesslog = "-"
errorlog = "-"
# gunicorn 27 opens a control socket under $HOME or $XDG_RUNTIME_DIR by default; the site does not use it.
control_socket_disable = True
