"""WSGI entry point for gunicorn (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
application = get_wsgi_application()

# Import every view now, not on the first request: numpy, scipy, matplotlib and
# WeasyPrint take seconds to load, and a worker that pays that during a request
# (after a restart, or a recycle) makes its first callers wait. With gunicorn's
# preload_app the master pays once and workers start warm.
get_resolver().url_patterns  # noqa: B018
