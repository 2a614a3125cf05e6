"""gunicorn settings for production: `gunicorn -c ivmt_site/gunicorn.conf.py ivmt_site.wsgi:application`.

It runs behind a proxy that terminates TLS; the proxy's address must be in GUNICORN_FORWARDED_ALLOW_IPS.
"""

import multiprocessing
import os

# Where to listen: the proxy forwards to this address.
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
# The proxies trusted to say the request came over HTTPS (comma-separated addresses).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access and error logs to stdout/stderr, for the service manager to collect.
accesslog = "-"
errorlog = "-"
# gunicorn 27 opens a control socket under $HOME or $XDG_RUNTIME_DIR by default; the site does not use it.
control_socket_disable = True
