"""Production server settings: `gunicorn -c gunicorn.conf.py trygg.wsgi`.

Sized for the 2-core machine: 2 processes of 4 threads. Requests mostly wait
on the database; threads overlap that waiting, and processes use both cores
despite the GIL. More processes only add SQLite write-lock contention and
memory. WEB_CONCURRENCY and GUNICORN_THREADS override the counts for bigger
machines (gunicorn reads WEB_CONCURRENCY itself; it is repeated here so the
default is visible).

Binds to loopback only: a reverse proxy (TLS, buffering of slow clients) sits
in front. PORT picks the port, default 8000.
"""

import os

bind = [f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Load the application once in the master (trygg/wsgi.py imports every view),
# so forked workers start warm and share its pages of memory. No database
# connection is opened at import time, so nothing open is shared across fork.
preload_app = True
# A report with a photo may take a while on a phone connection; the proxy buffers.
timeout = 30
graceful_timeout = 20
# No keep-alive: a connection closes after its answer. A kept-alive connection
# stays with the worker that accepted it, and under load one worker ended up
# with three quarters of them, capped at one core by its GIL while the other
# idled (bench/load.py, same load: p50 28 ms with keep-alive 5 s, 17 ms
# without). A new connection per request goes to whichever worker is free to
# accept it. This matters for clients that connect directly and for a proxy
# that keeps upstream connections alive; nginx's default, HTTP/1.0 upstream,
# opens one per request anyway.
keepalive = 0
# Recycle processes now and then, so a slow leak never becomes an outage.
max_requests = 5000
max_requests_jitter = 500
# Heartbeat files in memory: a container's /tmp may be slow overlay storage.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access log without query strings, bodies, referrers or client addresses:
# free text (search terms, descriptions) must never reach a log, and the
# proxy in front keeps its own log of addresses. %(U)s is the path alone.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
