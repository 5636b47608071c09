"""Gunicorn settings for the API: `gunicorn -c pioneer/gunicorn.conf.py pioneer.wsgi`.

Used by `make run` (pioneer.runner), compose.yaml and the end-to-end tests, so the API
is served the same way everywhere. Read from the environment like the Django settings.
"""

import os

# Loopback unless told otherwise: a server started by hand is not exposed by accident. The
# container image sets GUNICORN_BIND_HOST=0.0.0.0 (its port is published by compose).
bind = f"{os.environ.get('GUNICORN_BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '3000')}"
# The API is I/O bound (database, query node for signatures): a few threaded workers
# serve many requests with little memory. WEB_CONCURRENCY is gunicorn's own convention.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A sign-in waits on the query node at most QUERY_NODE_SIGNIN_DEADLINE_SECONDS (5), and at most
# QUERY_NODE_SIGNIN_MAX_CONCURRENT (2) of a process's threads do so at once: with a hung node the
# other threads stay free for other requests (docs/benchmarks.md, "hostile load").
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = "-"
# Link tokens in paths (/preferences/<token>, /unsubscribe/<token>) are credentials: not logged.
logger_class = "pioneer.log_redaction.RedactingGunicornLogger"
errorlog = "-"
loglevel = os.environ.get("APP_LOG_LEVEL", "info").lower()
# Behind a reverse proxy (compose, hosting): trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "pioneer-api"
# Gunicorn's control socket lives at one fixed path per user: two servers on one machine
# (make run beside the end-to-end tests) would fight over it, and nothing here uses it.
control_socket_disable = True
