"""Query helpers every app's filters share."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

QS = TypeVar("QS", bound=QuerySet[Any])


def narrowed(queryset: QS, **chosen: Any) -> QS:
    """`queryset` filtered by each lookup a person chose; an empty choice filters nothing."""
    lookups = {field: value for field, value in chosen.items() if value}
    return queryset.filter(**lookups) if lookups else queryset
