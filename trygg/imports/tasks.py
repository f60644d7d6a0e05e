"""The import of an uploaded file, run by `trygg worker` so a large file does not hold a request."""

from __future__ import annotations

from django_tasks import task


@task()
def import_run_task(run_id: int) -> str:
    """Import one queued run; the status it ended in."""
    from trygg.imports.actions import run_import

    return run_import(run_id=run_id).status
