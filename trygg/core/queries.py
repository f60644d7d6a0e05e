"""Query helpers every app's filters share."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connections
from django.db.models import QuerySet

QS = TypeVar("QS", bound=QuerySet[Any])


def narrowed(queryset: QS, **chosen: Any) -> QS:
    """`queryset` filtered by each lookup a person chose; an empty choice filters nothing."""
    lookups = {field: value for field, value in chosen.items() if value}
    return queryset.filter(**lookups) if lookups else queryset


def driver_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of `queryset` as the database driver returns them, past Django's converters.

    For statistics over many rows, where the converters cost more than the query.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
