"""File imports: each organisation's saved mapping, and a record of every import run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.partners.models import Organisation

DEFAULT_PROFILE = "standard"
# Errors kept on a run for a person to read later; the count says how many there were.
MAX_STORED_ERRORS = 1000


class ImportProfile(models.Model):
    """How an organisation's files read: their column for each of our fields, their words
    for our categories. Saved by every import and offered again the next time."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_profiles"
    )
    name = models.CharField(_("name"), max_length=100, default=DEFAULT_PROFILE)
    columns = models.JSONField(_("columns"), default=dict, blank=True)  # our field -> header
    categories = models.JSONField(_("categories"), default=dict, blank=True)  # word -> code
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="importprofile_unique")
        ]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"


class ImportRun(models.Model):
    """One file taken in: uploaded (a draft while it is mapped), then imported once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not imported yet")
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, default="web")  # web or command
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_hash = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    file_size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    categories = models.JSONField(_("categories"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("imported"), default=0)
    existing = models.PositiveIntegerField(_("already there"), default=0)
    rejected = models.PositiveIntegerField(_("not imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # RowError.as_dict()s
    systems = models.JSONField(_("coordinate systems"), default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    failure = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def is_open(self) -> bool:
        """Still being mapped: the steps before the import may be taken (again)."""
        return self.status == self.Status.DRAFT


class ImportFile(models.Model):
    """The uploaded file, kept only until its run is imported.

    Apart from ImportRun so lists of runs never read the bytes; deleted in the
    import's transaction, because the file holds free text unmasked.
    """

    run = models.OneToOneField(
        ImportRun, on_delete=models.CASCADE, primary_key=True, related_name="upload"
    )
    content = models.BinaryField()

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return f"file of import {self.run_id}"
