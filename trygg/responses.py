"""JSON answers of the API encoded without ninja validating them again on every request.

Ninja checks a view's result against its response schema by wrapping every
nested object in a Python getter: for a page of 50 reports that took longer
than reading them. The record builders (reports/records.py, situation/pages.py)
already produce exactly the types their schemas declare, so their data is
encoded as ninja would encode the validated result. tests/test_api_output.py
holds each such endpoint to byte-for-byte the answer ninja's own validation
gives, and schemathesis checks every answer against the OpenAPI document.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder

CONTENT_TYPE = "application/json; charset=utf-8"  # what ninja's renderer sends


def encode(data: Any) -> bytes:
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """`data`, already of its schema's types, as the API's JSON answer."""
    return HttpResponse(encode(data), status=status, content_type=CONTENT_TYPE)
