"""Importing deals from the CRMs teams already use, and from the public data sets: one
ImportRun row per import, with its options, progress and report."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One import of one or more files in one format. `rows_done` of `rows_total` moves while it
    runs (the upload page polls it); `report` is `ImportReport.as_dict()` once it is done or
    failed (a failed run's report lists the row errors; nothing of it was written)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    format = models.CharField(max_length=20)
    file_names = models.JSONField(default=list, blank=True, help_text="As uploaded or given.")
    paths = models.JSONField(default=list, blank=True, help_text="Where the files are read from.")
    options = models.JSONField(
        default=dict, blank=True, help_text="dry_run, skip_invalid, encoding, mapping."
    )
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, help_text="Why the run failed, in one sentence.")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.format}, {self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        """How far along it is, 0–100, for a progress bar."""
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def dry_run(self) -> bool:
        return bool(self.options.get("dry_run"))

    def error_rows(self) -> list[dict[str, Any]]:
        return list(self.report.get("errors", []))
