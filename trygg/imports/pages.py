"""Read models of the import pages: a draft's file as a sheet, the steps' suggestions, progress."""

from __future__ import annotations

from typing import Any

from trygg.imports.actions import profile_of
from trygg.imports.convert import category_words, suggested_categories, suggested_columns
from trygg.imports.models import ImportFile, ImportRun
from trygg.imports.parsing import Sheet, read_file
from trygg.reports.models import Category


def content_of(run: ImportRun) -> bytes:
    return bytes(ImportFile.objects.get(run=run).content)


def sheet_of(run: ImportRun) -> Sheet:
    return read_file(content_of(run))


def columns_for(run: ImportRun, sheet: Sheet) -> dict[str, str]:
    """The draft's chosen columns, else the organisation's saved ones, else guesses."""
    saved = run.columns or profile_of(run.organisation).columns
    return suggested_columns(sheet.headers, saved)


def categories_for(run: ImportRun, sheet: Sheet) -> tuple[list[str], dict[str, str]]:
    """The words of the file's category column and the category suggested for each."""
    words = category_words(sheet, run.columns.get("category"))
    saved = {**profile_of(run.organisation).categories, **run.categories}
    return words, suggested_categories(words, saved, list(Category.objects.all()))


def progress_dict(run: ImportRun) -> dict[str, Any]:
    """What the run's page polls while the worker imports."""
    return {
        "status": run.status,
        "status_display": str(run.get_status_display()),
        "done": run.progress_done,
        "total": run.progress_total,
        "percent": run.percent,
        "finished": run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED),
    }
