"""GeoReport v2 on the wire: the two formats, the error shape, the element names.

JSON is the spec's "Spark" mapping of its XML: a container element vanishes
and its repeated children become an array, even of one. So every list, a
single request and a POST answer are JSON arrays, and the XML of a list is a
container named after the resource (`services`, `service_requests`, …) whose
children are named after one item (`service`, `request`, …). Values are
plain data: str, int, float, bool, None, datetime, dicts and lists.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse

FORMATS = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# The XML name of one child of a nested list, by the list's name.
CHILDREN = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}


class Open311Error(Exception):
    """An answer of errors: the HTTP status (400, 403 or 404) and what went wrong.

    `field` names the parameter at fault, and leads the description, so a
    client's log says which value to fix.
    """

    def __init__(self, status: int, description: str, field: str = "") -> None:
        super().__init__(description)
        self.status = status
        self.descriptions = [f"{field}: {description}" if field else str(description)]

    @classmethod
    def of_fields(cls, status: int, errors: list[tuple[str, str]]) -> Open311Error:
        """One error per (field, message): a refused POST names every value at fault."""
        error = cls(status, errors[0][1], errors[0][0])
        error.descriptions = [f"{field}: {message}" for field, message in errors]
        return error


def w3c(moment: datetime | None) -> str | None:
    """A W3C datetime in UTC with its zone, as the spec asks: 2026-12-01T08:15:00Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c(value) or ""
    return str(value)


def _element(parent: ElementTree.Element, name: str, value: Any) -> None:
    node = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(node, key, inner)
    elif isinstance(value, list):
        child = CHILDREN.get(name, "item")
        for inner in value:
            _element(node, child, inner)
    else:
        node.text = _text(value)


def to_xml(root: str, value: Any, item: str = "") -> bytes:
    """`value` under `root`: a list's items each as `item`, a dict's keys as elements."""
    element = ElementTree.Element(root)
    if isinstance(value, list):
        for inner in value:
            _element(element, item, inner)
    else:
        for key, inner in value.items():
            _element(element, key, inner)
    body = ElementTree.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def render(value: Any, fmt: str, root: str, item: str = "", *, status: int = 200) -> HttpResponse:
    """`value` as an answer in `fmt`: JSON as it is, XML under `root` with `item` children."""
    if fmt == "json":
        body = json.dumps(_plain(value), ensure_ascii=False).encode()
    else:
        body = to_xml(root, value, item)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))


def render_error(error: Open311Error, fmt: str) -> HttpResponse:
    """The spec's error answer: a list of {code, description}, with the status as HTTP code."""
    errors = [{"code": error.status, "description": text} for text in error.descriptions]
    return render(errors, fmt, "errors", "error", status=error.status)
