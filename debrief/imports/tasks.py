"""Background work of imports: running a queued ImportRun (large files from the upload page),
with its progress written to the run as it goes."""

from __future__ import annotations

from pathlib import Path

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.tasks import task

# Write progress at most this often (rows), so a million-row import makes a few hundred writes.
PROGRESS_EVERY = 5_000


@task()
def run_import(run_id: int) -> str:
    """Run a queued import and store its report on the run. Returns the run's final status."""
    from debrief.imports.actions import import_files
    from debrief.imports.models import ImportRun, ImportStatus

    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    if run.status != ImportStatus.QUEUED:
        return run.status
    options = run.options
    mapping = options.get("mapping")
    progress = ProgressWriter(run_id)
    try:
        report = import_files(
            [Path(p) for p in run.paths],
            run.format,
            by=run.created_by,
            mapping=Path(mapping) if isinstance(mapping, str) else mapping,
            dry_run=bool(options.get("dry_run")),
            skip_invalid=bool(options.get("skip_invalid")),
            encoding=options.get("encoding"),
            run=run,
            progress=progress,
        )
    finally:
        progress.close()
    return ImportStatus.FAILED if report.failed else ImportStatus.DONE


class ProgressWriter:
    """Progress for the upload page. While rows are checked (total 0) the run is updated on the
    ordinary connection; while they are written, inside the import's transaction, an update
    there would show only at commit, so PostgreSQL gets it through a second connection. SQLite
    allows one writer: there the page shows the checking pass, then the end."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.done = -PROGRESS_EVERY
        self.total = -1
        self.side: BaseDatabaseWrapper | None = None

    def __call__(self, done: int, total: int) -> None:
        from debrief.imports.models import ImportRun

        if total == self.total and done - self.done < PROGRESS_EVERY and done != total:
            return
        self.done, self.total = done, total
        changes = {"rows_done": done} if total == 0 else {"rows_done": done, "rows_total": total}
        if not connection.in_atomic_block:
            ImportRun.objects.filter(pk=self.run_id).update(**changes)
            return
        if connection.vendor != "postgresql":
            return
        if self.side is None:
            self.side = connection.copy()
        sets = ", ".join(f"{name} = %s" for name in changes)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportRun._meta.db_table} SET {sets} WHERE id = %s",
                [*changes.values(), self.run_id],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None
