"""JSON shapes every API shares: the error answer and GeoJSON collections."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema


class FieldErrorOut(Schema):
    index: int = Field(description="Position of the item in a batch; 0 for a single item")
    field: str
    message: str


class ErrorOut(Schema):
    detail: list[FieldErrorOut] | str


class FeatureCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]
