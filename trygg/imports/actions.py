"""File imports: upload, map, check (the dry run) and import, each a named verb.

Rows are checked by trygg.reports.actions.check_reports, which is intake's
validation item by item, and the good ones stored by store_checked_reports,
the batch write every channel uses, with source=import. A row's client_id is
derived from the row (convert.client_id_for), so the same file imported
twice adds nothing; the run notes, too, when a file with the same SHA-256
was imported before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.errors import FieldError, InputRejected
from trygg.imports.convert import REQUIRED, TARGETS, Converted, RowError, convert
from trygg.imports.models import (
    DEFAULT_PROFILE,
    MAX_STORED_ERRORS,
    ImportFile,
    ImportProfile,
    ImportRun,
)
from trygg.imports.parsing import FileRefused, Sheet, read_file
from trygg.partners.models import Organisation
from trygg.reports.access import known_client_ids
from trygg.reports.actions import CheckedReports, check_reports, store_checked_reports
from trygg.reports.masking import mask_personal_data
from trygg.reports.models import Report

# Partners import their logs of years past, which a live report's age limit
# (REPORT_MAX_AGE_DAYS) would refuse; ten years covers what anyone keeps.
IMPORT_MAX_AGE_DAYS = 3650
PREVIEW_ROWS = 20

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class Checked:
    """A dry run: what an import of the file would do, nothing written."""

    sheet: Sheet
    converted: Converted
    reports: CheckedReports
    errors: list[RowError]  # every row that would not be imported, by row, column, reason
    already: int  # good rows whose report is already there (a repeated import)
    earlier_runs: list[ImportRun] = field(default_factory=list)  # the same file, imported before

    @property
    def rows(self) -> int:
        return len(self.sheet.rows)

    @property
    def valid(self) -> int:
        return len(self.reports.valid)

    @property
    def new(self) -> int:
        return self.valid - self.already

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def sample(self, n: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
        """The first good rows as they would be stored, with the row they come from."""
        out = []
        for k, row in enumerate(self.reports.rows):
            if row is not None:
                number = self.sheet.numbers[self.converted.origins[k]]
                out.append({"row": number, **row})
                if len(out) == n:
                    break
        return out


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def check_file(
    *,
    organisation: Organisation,
    content: bytes,
    columns: dict[str, str],
    categories: dict[str, str],
    now: datetime | None = None,
    progress: Progress | None = None,
    count_existing: bool = True,
    sheet: Sheet | None = None,
) -> Checked:
    """The dry run: read, convert and validate every row; writes nothing.

    `count_existing=False` leaves `already` at 0: the import itself finds the
    existing client_ids as it writes, and need not look them up twice.
    """
    sheet = sheet or _read(content)
    _require_columns(sheet, columns)
    converted = convert(sheet, columns, categories)
    total = len(converted.items)

    def step(done: int) -> None:
        if progress is not None:
            progress(done, total)

    reports = check_reports(
        organisation=organisation, items=converted.items, now=now,
        max_age_days=IMPORT_MAX_AGE_DAYS, progress=step,
    )  # fmt: skip
    errors = converted.errors + _row_errors(sheet, converted, reports.errors, columns)
    errors.sort(key=lambda e: (e.row, e.column))
    return Checked(
        sheet=sheet,
        converted=converted,
        reports=reports,
        errors=errors,
        already=_already(organisation, reports.valid) if count_existing else 0,
        earlier_runs=list(
            ImportRun.objects.filter(
                organisation=organisation, file_hash=file_hash(content),
                status=ImportRun.Status.DONE,
            )
        ),
    )  # fmt: skip


def _read(content: bytes) -> Sheet:
    try:
        return read_file(content)
    except FileRefused as refused:
        raise InputRejected.one("file", str(refused)) from None


def _require_columns(sheet: Sheet, columns: dict[str, str]) -> None:
    errors = [
        FieldError(0, name, _("Choose the column for this field."))
        for name in REQUIRED
        if not columns.get(name) or sheet.column(columns[name]) is None
    ]
    if errors:
        raise InputRejected(errors)


def _row_errors(
    sheet: Sheet, converted: Converted, errors: list[FieldError], columns: dict[str, str]
) -> list[RowError]:
    """Intake's errors (by item index and field) as the file's row, column and value."""
    out = []
    for error in errors:
        origin = converted.origins[error.index]
        column = columns.get(error.field, "") or str(TARGETS.get(error.field, (error.field,))[0])
        index = sheet.column(column)
        row = sheet.rows[origin]
        value = row[index] if index is not None and index < len(row) else ""
        out.append(RowError(sheet.numbers[origin], column, _cell_text(value), str(error.message)))
    return out


def _cell_text(value: Any) -> str:
    """The refused value as the error shows it, masked: a run keeps its errors, and a
    refused description or address must not keep a phone number that intake would mask."""
    from trygg.imports.convert import text_of

    return mask_personal_data(text_of(value)[:200])


def _already(organisation: Organisation, rows: list[dict[str, Any]]) -> int:
    ids = [row["client_id"] for row in rows if row.get("client_id")]
    return known_client_ids(organisation, ids)


def profile_of(organisation: Organisation, name: str = DEFAULT_PROFILE) -> ImportProfile:
    """The organisation's saved mapping of that name (unsaved and empty if there is none)."""
    found = ImportProfile.objects.filter(organisation=organisation, name=name).first()
    return found or ImportProfile(organisation=organisation, name=name)


@transaction.atomic
def save_mapping(
    *,
    organisation: Organisation,
    by: Any,
    columns: dict[str, str] | None = None,
    categories: dict[str, str] | None = None,
    name: str = DEFAULT_PROFILE,
) -> ImportProfile:
    """Keep the columns chosen, and add the category words to those saved before."""
    profile, _created = ImportProfile.objects.select_for_update().get_or_create(
        organisation=organisation, name=name
    )
    if columns is not None:
        profile.columns = {k: v for k, v in columns.items() if k in TARGETS and v}
    if categories is not None:
        profile.categories = {**profile.categories, **{k: v for k, v in categories.items() if v}}
    profile.updated_by = by if getattr(by, "is_authenticated", False) else None
    profile.save()
    return profile


# --- the import itself -------------------------------------------------------


def _new_run(
    organisation: Organisation, by: Any, name: str, content: bytes, channel: str, sheet: Sheet
) -> ImportRun:
    return ImportRun.objects.create(
        organisation=organisation,
        by=by if getattr(by, "is_authenticated", False) else None,
        channel=channel,
        file_name=name[:255],
        file_hash=file_hash(content),
        file_size=len(content),
        file_format=sheet.format,
        rows=len(sheet.rows),
    )


@transaction.atomic
def upload_file(*, organisation: Organisation, by: Any, name: str, content: bytes) -> ImportRun:
    """A draft run holding the file while its columns and categories are mapped."""
    run = _new_run(organisation, by, name, content, "web", _read(content))
    ImportFile.objects.create(run=run, content=content)
    return run


@transaction.atomic
def map_run(
    *,
    run: ImportRun,
    by: Any,
    columns: dict[str, str] | None = None,
    categories: dict[str, str] | None = None,
) -> ImportRun:
    """Set the draft's mapping, and save it as the organisation's for its next file."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_open:
        raise InputRejected.one("__all__", _("This file has already been imported."))
    if columns is not None:
        run.columns = {k: v for k, v in columns.items() if k in TARGETS and v}
    if categories is not None:
        run.categories = {k: v for k, v in categories.items() if v}
    run.save(update_fields=["columns", "categories"])
    save_mapping(organisation=run.organisation, by=by, columns=columns, categories=categories)
    return run


@transaction.atomic
def start_import(*, run: ImportRun, by: Any) -> ImportRun:
    """Queue the draft for the background worker (`trygg worker`), which imports it."""
    from trygg.imports.tasks import import_run_task

    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_open:
        raise InputRejected.one("__all__", _("This file has already been imported."))
    run.status = ImportRun.Status.QUEUED
    run.progress_done, run.progress_total = 0, run.rows
    run.save(update_fields=["status", "progress_done", "progress_total"])
    transaction.on_commit(lambda: import_run_task.enqueue(run.pk))
    return run


def run_import(*, run_id: int, now: datetime | None = None) -> ImportRun:
    """Import a queued run's file (the worker calls this); the run records the outcome."""
    run = ImportRun.objects.select_related("organisation__municipality", "by").get(pk=run_id)
    if run.status not in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING):
        return run
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    try:
        content = bytes(ImportFile.objects.get(run=run).content)
        return _perform(run, content, run.columns, run.categories, now, _saver(run))
    except Exception:
        # The worker logs the error; the page must not say "running" for ever.
        _failed(run, _("The import stopped on an unexpected error; nothing was imported."))
        raise


def import_file(
    *,
    organisation: Organisation,
    by: Any,
    name: str,
    content: bytes,
    columns: dict[str, str],
    categories: dict[str, str],
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Check and import a file at once (the command line); the run records the outcome."""
    sheet = _read(content)
    run = _new_run(organisation, by, name, content, "command", sheet)
    run.columns, run.categories = columns, categories
    run.status = ImportRun.Status.RUNNING
    run.save(update_fields=["columns", "categories", "status"])
    return _perform(run, content, columns, categories, now, progress, sheet)


def _saver(run: ImportRun) -> Progress:
    """Progress written to the run, at most every 5 %, for the page that polls it."""
    step = max(1, run.rows // 20)
    last = [-step]

    def save(done: int, total: int) -> None:
        if done - last[0] >= step or done == total:
            last[0] = done
            ImportRun.objects.filter(pk=run.pk).update(progress_done=done, progress_total=total)

    return save


def _perform(
    run: ImportRun,
    content: bytes,
    columns: dict[str, str],
    categories: dict[str, str],
    now: datetime | None,
    progress: Progress | None,
    sheet: Sheet | None = None,
) -> ImportRun:
    """Check outside the transaction (it only reads, and the progress must show), then write
    the reports, the run's record and the upload's removal in one transaction."""
    try:
        checked = check_file(
            organisation=run.organisation, content=content, columns=columns,
            categories=categories, now=now, progress=progress, count_existing=False,
            sheet=sheet,
        )  # fmt: skip
    except InputRejected as rejected:
        return _failed(run, "; ".join(str(e.message) for e in rejected.errors))
    by = run.by
    with transaction.atomic():
        batch = store_checked_reports(checked=checked.reports, by=by, source=Report.Source.IMPORT)
        run.status, run.finished_at = ImportRun.Status.DONE, timezone.now()
        run.created, run.existing = batch.created, batch.existing
        run.rejected, run.systems = checked.rejected, checked.converted.systems
        run.errors = [e.as_dict() for e in checked.errors[:MAX_STORED_ERRORS]]
        run.progress_done = run.progress_total = len(checked.converted.items)
        run.save()
        ImportFile.objects.filter(run=run).delete()
    return run


def _failed(run: ImportRun, reason: str) -> ImportRun:
    run.status, run.finished_at, run.failure = ImportRun.Status.FAILED, timezone.now(), reason[:500]
    run.save(update_fields=["status", "finished_at", "failure"])
    ImportFile.objects.filter(run=run).delete()
    return run
