"""Report model objects made for the batch insert without Model.__init__ or bulk_create.

Why this exists: a batch of up to 10,000 reports spent most of its time in
the ORM's per-value insert machinery and in Model.__init__. `NewReports`
builds the INSERT and the instances itself (through `Model.__new__`), which
skips Django's save path; it is the one place in Trygg that does, kept apart
so the exception stays visible. tests/reports/test_fast_insert.py checks,
field by field, that its instances and rows equal what `bulk_create` makes,
so a new Report field (say one with a default or auto_now) cannot be skipped
silently: that test fails first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from trygg.partners.models import Organisation
from trygg.reports.models import Report

# Fields whose validated Python values Django's get_db_prep_save hands to the
# driver unchanged (str, int, float, bool, None), so NewReports skips it for them.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.FloatField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


class NewReports:
    """New reports of one batch, written with a single executemany.

    Why not bulk_create: it sends every value of every row through the ORM's
    insert compiler (pre_save, get_db_prep_save, placeholders: ~150 µs a
    report, several times validation, projection and area lookup together),
    and on SQLite splits a batch into INSERTs of 38 rows. Rows from
    validate_items already hold values of the fields' Python types, so only
    the fields whose database form differs (datetimes; the UUID key on
    SQLite) go through Django's own get_db_prep_save, and the INSERT is the
    one bulk_create would send. No Report field has auto_now or a file to
    commit on save (photos are attached afterwards), so skipping pre_save
    changes nothing. The instances end as bulk_create leaves them: saved
    (_state.adding False), organisation and reporter cached.
    """

    def __init__(self, *, organisation: Organisation, by: Any, source: str, now: datetime):
        meta = Report._meta
        self.connection = connections[router.db_for_write(Report)]
        self.fields = meta.concrete_fields
        self.pk = meta.pk
        fixed = {
            "municipality_id": organisation.municipality_id,
            "organisation_id": organisation.pk,
            "reporter_id": by.pk if by is not None else None,
            "source": source,
            "reported_at": now,
        }
        self.base = {f.attname: f.get_default() for f in self.fields if f is not self.pk}
        self.base.update(fixed)
        prep = [(i, f) for i, f in enumerate(self.fields) if not isinstance(f, _PLAIN_FIELDS)]
        # Values the same for every row (reported_at) are converted once.
        self.fixed_params = {
            i: f.get_db_prep_save(fixed[f.attname], self.connection)
            for i, f in prep
            if f.attname in fixed
        }
        self.row_prep = [(i, f.get_db_prep_save) for i, f in prep if f.attname not in fixed]
        self.cached = [
            (meta.get_field("organisation"), organisation),
            (meta.get_field("reporter"), by),
        ]
        self.params: list[list[Any]] = []
        self.attnames = [f.attname for f in self.fields]
        self.signalled = pre_init.has_listeners(Report) or post_init.has_listeners(Report)

    def add(self, row: dict[str, Any]) -> Report:
        """An unsaved-yet instance for `row`; `write` stores it."""
        values = {**self.base, **row, self.pk.attname: self.pk.get_default()}
        params = [values[name] for name in self.attnames]
        for i, prep in self.row_prep:
            if params[i] is not None:
                params[i] = prep(params[i], self.connection)
        for i, value in self.fixed_params.items():
            params[i] = value
        self.params.append(params)
        report = self._instance(values)
        for field, value in self.cached:
            field.set_cached_value(report, value)
        return report

    def _instance(self, values: dict[str, Any]) -> Report:
        """What Report.from_db(alias, None, [values in field order]) returns, ~3× faster.

        Model.__init__ sends pre_init/post_init and sets each field through its
        descriptor; Report's descriptors only store the value (nothing is cached
        on a new instance), so with no signal receivers the result is the same.
        """
        if self.signalled:
            python = [values[name] for name in self.attnames]
            return Report.from_db(self.connection.alias, None, python)
        report = Report.__new__(Report)
        report.__dict__.update(values)
        report._state = ModelState()
        report._state.adding, report._state.db = False, self.connection.alias
        return report

    def write(self) -> None:
        if not self.params:
            return
        quote = self.connection.ops.quote_name
        table = quote(Report._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # One statement with an array a column, as bulk_create sends there
                # (Django's InsertUnnest): ~1.5× executemany. Types without their
                # length, as Django does, so an over-long value fails, never truncates.
                types = [f.db_type(self.connection).split("(")[0] for f in self.fields]
                arrays = ", ".join(f"%s::{t}[]" for t in types)
                sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})"
                cursor.execute(sql, [list(column) for column in zip(*self.params, strict=True)])
            else:
                # SQLite prepares the statement once and steps it for every row.
                placeholders = ", ".join(["%s"] * len(self.fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
                cursor.executemany(sql, self.params)
