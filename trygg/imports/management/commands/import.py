"""`trygg import FILE --organisation ORG [--mapping NAME|FILE.json] [--commit]`.

A dry run unless --commit: it prints what would be imported and every row
that would not, with row, column and reason, and writes nothing. The mapping
is a JSON file ({"columns": {our field: their header}, "categories": {their
word: our code}}) or the name of one the organisation saved (the web import
saves "standard"); without one, the saved "standard" mapping and guesses
from the headers are used. A mapping file is saved as the organisation's
(under --save-as, default "standard") when the import is committed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.core.errors import InputRejected
from trygg.imports.actions import check_file, import_file, profile_of, save_mapping
from trygg.imports.convert import category_words, suggested_categories, suggested_columns
from trygg.imports.parsing import FileRefused, read_file
from trygg.partners.models import Organisation
from trygg.reports.models import Category

BAR = 30


class Command(BaseCommand):
    help = "Import reports from a CSV, XLSX or GeoJSON file (a dry run unless --commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's id or name")
        parser.add_argument("--mapping", default="", help="a saved mapping's name, or a JSON file")
        parser.add_argument("--save-as", default="standard", help="name to save a mapping file as")
        parser.add_argument("--by", default="", help="username recorded as the importer")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="check only (the default)")
        mode.add_argument("--commit", action="store_true", help="import the rows that pass")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = _organisation(options["organisation"])
        content = _content(options["file"])
        columns, categories, from_file = self._mapping(organisation, content, options["mapping"])
        by = _user(options["by"])
        progress = _bar(self.stderr)
        try:
            if options["commit"]:
                run = import_file(
                    organisation=organisation, by=by, name=options["file"].name, content=content,
                    columns=columns, categories=categories, progress=progress,
                )  # fmt: skip
                if from_file and run.status == run.Status.DONE:
                    save_mapping(
                        organisation=organisation, by=by, columns=columns,
                        categories=categories, name=options["save_as"],
                    )  # fmt: skip
                self._report_run(run)
            else:
                checked = check_file(
                    organisation=organisation, content=content, columns=columns,
                    categories=categories, progress=progress,
                )  # fmt: skip
                self._report_check(checked)
        except InputRejected as rejected:
            message = "; ".join(f"{e.field}: {e.message}" for e in rejected.errors)
            raise CommandError(message) from None

    def _mapping(
        self, organisation: Organisation, content: bytes, mapping: str
    ) -> tuple[dict[str, str], dict[str, str], bool]:
        path = Path(mapping) if mapping else None
        if path is not None and path.suffix == ".json":
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"{mapping}: {error}") from None
            saved_columns, saved_categories, from_file = (
                data.get("columns", {}), data.get("categories", {}), True,
            )  # fmt: skip
        else:
            profile = profile_of(organisation, mapping or "standard")
            if mapping and profile.pk is None:
                raise CommandError(f"no saved mapping called {mapping!r}")
            saved_columns, saved_categories, from_file = profile.columns, profile.categories, False
        try:
            sheet = read_file(content)
        except FileRefused as refused:
            raise CommandError(str(refused)) from None
        columns = suggested_columns(sheet.headers, saved_columns)
        words = category_words(sheet, columns.get("category"), limit=10_000)
        guessed = suggested_categories(words, saved_categories, list(Category.objects.all()))
        categories = {**{w: c for w, c in guessed.items() if c}, **saved_categories}
        return columns, categories, from_file

    def _report_check(self, checked: Any) -> None:
        out = self.stdout
        out.write(f"Dry run: {checked.rows} rows read ({checked.sheet.format}).")
        out.write(f"Would import: {checked.new} new, {checked.already} already there.")
        out.write(f"Would not import: {checked.rejected} rows.")
        for run in checked.earlier_runs:
            out.write(
                f"The same file was imported on {run.finished_at:%Y-%m-%d %H:%M} (run {run.pk})."
            )
        for error in checked.errors:
            value = f" ({error.value})" if error.value else ""
            out.write(f"row {error.row}, {error.column}: {error.message}{value}")
        out.write("Nothing was written. Run again with --commit to import.")

    def _report_run(self, run: Any) -> None:
        if run.status != run.Status.DONE:
            raise CommandError(run.failure)
        self.stdout.write(
            f"Import run {run.pk}: {run.created} new, {run.existing} already there, "
            f"{run.rejected} rows not imported."
        )
        for error in run.errors:
            value = f" ({error['value']})" if error["value"] else ""
            self.stdout.write(f"row {error['row']}, {error['column']}: {error['message']}{value}")


def _organisation(key: str) -> Organisation:
    found = Organisation.objects.filter(pk=int(key)) if key.isdigit() else None
    if not found:
        found = Organisation.objects.filter(name=key)
    if len(found) != 1:
        raise CommandError(f"no single organisation {key!r}")
    return found[0]


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(str(error)) from None


def _user(username: str) -> Any:
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {username!r}") from None


def _bar(stream: Any) -> Any:
    """A progress bar on stderr, redrawn in place; a new line when done."""

    def show(done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = int(BAR * share)
        stream.write(
            f"\r[{'#' * filled}{'.' * (BAR - filled)}] {share:4.0%} {done}/{total} rows", ending=""
        )
        if done >= total:
            stream.write("\n", ending="")
        stream.flush()

    return show
