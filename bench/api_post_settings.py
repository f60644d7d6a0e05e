"""Trygg's production settings plus GET /healthz, for bench/api_post.py.

Used only while trygg/urls.py does not route /healthz yet; once it does, the
bench serves the unchanged settings. Nothing else differs.
"""

from trygg.settings import *  # noqa: F403

ROOT_URLCONF = "api_post_urls"
