"""The import action: read files in a format, check every row, then write all the deals in
bulk inside one transaction (all or nothing, unless skip_invalid). No per-row signals; what
other apps must redo after an import registers in `after_import` and runs once, on commit.

Two passes over the file keep memory flat: the first checks rows and gathers the distinct
stages, owners, customers, products and reasons; the second converts again and writes in
batches."""

from __future__ import annotations

import json
import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from debrief.imports.formats import (
    FORMATS,
    CellError,
    CustomerKey,
    DealRow,
    Format,
    LayoutProblem,
    Plan,
    RowInvalid,
)
from debrief.imports.models import ImportRun, ImportStatus
from debrief.imports.reading import CsvFile, FileProblem, check_encoding, open_csv
from debrief.losses.models import LossReason, LossRecord, LossRecordReason, OutcomeType
from debrief.org.models import Organisation, Role, Team, User
from debrief.pipeline.models import (
    Competitor,
    Customer,
    Deal,
    DealStatus,
    Product,
    Stage,
    StageKind,
)

log = logging.getLogger(__name__)

BATCH = 5_000
# A report lists this many row errors and duplicates; the counts cover them all.
LISTED = 1_000
PLACEHOLDER_DOMAIN = "imported.invalid"
NO_OWNER = "Imported deals"
NO_TEAM = "Imported"
NO_CUSTOMER = "(no customer)"
LOSS_OUTCOME = "Unknown"
GENERIC_OUTCOMES = {
    "won": StageKind.WON,
    "closed won": StageKind.WON,
    "closedwon": StageKind.WON,
    "lost": StageKind.LOST,
    "loss": StageKind.LOST,
    "closed lost": StageKind.LOST,
    "closedlost": StageKind.LOST,
}

Progress = Callable[[int, int], None]

# Called once after an import that wrote something has committed, with its report: the place
# for work other apps would otherwise do per deal (insights rollups, deal words).
after_import: list[Callable[[ImportReport], None]] = []


def register_after_import(callback: Callable[[ImportReport], None]) -> None:
    if callback not in after_import:
        after_import.append(callback)


@dataclass
class ImportReport:
    format: str
    source: str
    files: list[str]
    dry_run: bool = False
    skip_invalid: bool = False
    failed: bool = False
    message: str = ""
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0
    duplicate_rows: list[dict[str, Any]] = field(default_factory=list)
    errors_total: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    stages_created: list[str] = field(default_factory=list)
    stages_mapped: dict[str, str] = field(default_factory=dict)
    reasons_created: list[str] = field(default_factory=list)
    reasons_mapped: dict[str, str] = field(default_factory=dict)
    owners_created: list[str] = field(default_factory=list)
    teams_created: list[str] = field(default_factory=list)
    customers_created: int = 0
    products_created: list[str] = field(default_factory=list)
    competitors_created: list[str] = field(default_factory=list)
    reconciled: dict[str, int] = field(default_factory=dict)
    losses_created: int = 0
    encodings: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    after_import_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def written(self) -> int:
        return 0 if self.dry_run or self.failed else self.created + self.updated

    def add_error(self, row: int | None, column: str, value: str, message: str) -> None:
        self.errors_total += 1
        if len(self.errors) < LISTED:
            self.errors.append({"row": row, "column": column, "value": value, "message": message})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        if self.failed:
            head = f"Import failed: {self.message}" if self.message else "Import failed."
            return f"{head} {self.errors_total} error(s); nothing was written."
        parts = [
            f"{verb} {self.rows_total} rows from {', '.join(self.files)} ({self.format}):",
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged",
        ]
        if self.skipped:
            parts.append(f", {self.skipped} invalid rows skipped")
        if self.duplicates:
            parts.append(f", {self.duplicates} repeated ids skipped")
        return " ".join(parts[:1]) + " " + "".join(parts[1:]) + "."


def load_mapping(mapping: Path | Mapping[str, Any] | None) -> dict[str, Any]:
    if mapping is None:
        return {}
    if isinstance(mapping, Path):
        try:
            loaded = json.loads(mapping.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as error:
            raise LayoutProblem(
                f"The mapping file {mapping.name} cannot be read: {error}"
            ) from None
        if not isinstance(loaded, dict):
            raise LayoutProblem(f"The mapping file {mapping.name} must hold a JSON object.")
        return loaded
    return dict(mapping)


def start_import(
    paths: Sequence[Path],
    fmt: str,
    *,
    by: User | None = None,
    mapping: Path | dict[str, Any] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    encoding: str | None = None,
    file_names: Sequence[str] | None = None,
    store: Callable[[ImportRun], Sequence[Path]] | None = None,
) -> ImportRun:
    """Record an import and queue it to run in the background (`tasks.run_import`). `store`,
    given the new run, saves uploaded files where they belong to it (a folder named after
    the run) and returns their paths, in the same transaction."""
    from debrief.imports import tasks

    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; one of {', '.join(FORMATS)}.")
    run = ImportRun.objects.create(
        created_by=by,
        format=fmt,
        file_names=list(file_names or [p.name for p in paths]),
        paths=[str(p) for p in paths],
        options={
            "dry_run": dry_run,
            "skip_invalid": skip_invalid,
            "encoding": encoding,
            "mapping": str(mapping) if isinstance(mapping, Path) else mapping,
        },
    )
    if store is not None:
        run.paths = [str(p) for p in store(run)]
        run.save(update_fields=["paths"])
    run_id = run.pk
    transaction.on_commit(lambda: tasks.run_import.enqueue(run_id))
    return run


def import_files(
    paths: list[Path],
    fmt: str,
    *,
    by: User | None = None,
    mapping: Path | dict[str, Any] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    encoding: str | None = None,
    run: ImportRun | None = None,
    progress: Progress | None = None,
    callbacks: bool = True,
) -> ImportReport:
    """Import deals from these files. Every row is checked before anything is written; a
    row error fails the whole run (nothing written) unless `skip_invalid`. Importing the same
    file again changes nothing: deals are matched on (source, external id)."""
    started = time.monotonic()
    report = ImportReport(
        format=fmt,
        source=fmt,
        files=[p.name for p in paths],
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    if run is not None:
        run.status = ImportStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at", "updated_at"])
    try:
        _import(paths, fmt, by, mapping, encoding, report, progress, callbacks)
    except (FileProblem, LayoutProblem) as problem:
        report.failed = True
        report.message = str(problem)
        column = getattr(problem, "column", "")
        report.add_error(1 if column else None, column, "", str(problem))
    report.seconds = round(time.monotonic() - started, 3)
    if run is not None:
        run.status = ImportStatus.FAILED if report.failed else ImportStatus.DONE
        run.rows_total = report.rows_total
        run.rows_done = report.rows_total if report.ok else run.rows_done
        run.report = report.as_dict()
        run.error = report.message if report.failed else ""
        run.finished_at = timezone.now()
        run.save()
    return report


def _import(
    paths: list[Path],
    fmt: str,
    by: User | None,
    mapping: Path | dict[str, Any] | None,
    encoding: str | None,
    report: ImportReport,
    progress: Progress | None,
    callbacks: bool = True,
) -> None:
    if fmt not in FORMATS:
        raise LayoutProblem(f"Unknown format {fmt!r}; one of {', '.join(FORMATS)}.")
    if not paths:
        raise LayoutProblem("No file to import.")
    form = FORMATS[fmt](load_mapping(mapping))
    report.source = form.external_source
    files: list[CsvFile] = []
    for path in paths:
        if not path.is_file():
            raise FileProblem(f"{path} is not a file.")
        file = check_encoding(open_csv(path, encoding), chosen=encoding is not None)
        report.encodings[file.name] = f"{file.encoding}, {_delimiter_name(file.delimiter)}"
        files.append(file)
    plan = form.plan(files)
    report.notes += plan.notes
    world = World(form, report)

    # Pass 1: check every row and gather what must exist before deals can be written.
    seen: set[str] = set()
    bad_rows = 0
    for count, (number, raw) in enumerate(plan.main.rows(), start=1):
        report.rows_total += 1
        row = _checked(plan, world, number, raw, report)
        if row is None:
            bad_rows += 1
        elif row.external_id in seen:
            _duplicate(report, row)
        else:
            seen.add(row.external_id)
            world.gather(row)
        if progress and count % 1000 == 0:
            progress(count, 0)
    del seen
    report.reconciled = dict(plan.reconciled)
    if report.errors_total and not report.skip_invalid:
        report.failed = True
        report.message = f"{report.errors_total} error(s) in {bad_rows} row(s)"
        return
    report.skipped = bad_rows
    if progress:
        progress(0, report.rows_total)

    # Pass 2: write, in batches, in one transaction.
    with transaction.atomic():
        world.create_missing()
        writer = Writer(world, report)
        batch: list[DealRow] = []
        done = 0
        seen = set()
        for number, raw in plan.main.rows():
            done += 1
            try:
                row = plan.convert(number, raw)
            except RowInvalid:
                continue
            if row.external_id in seen or world.stage_error(row):
                continue
            seen.add(row.external_id)
            batch.append(row)
            if len(batch) >= BATCH:
                writer.write(batch)
                batch = []
                if progress:
                    progress(done, report.rows_total)
        writer.write(batch)
        if progress:
            progress(report.rows_total, report.rows_total)
        if report.dry_run:
            transaction.set_rollback(True)
        elif callbacks and (report.created or report.updated):
            transaction.on_commit(lambda: _after(report))


def _after(report: ImportReport) -> None:
    started = time.monotonic()
    for callback in list(after_import):
        try:
            callback(report)
        except Exception:  # One app's failing rebuild must not hide the import's success.
            log.exception("after_import callback %r failed", callback)
    report.after_import_seconds = round(time.monotonic() - started, 3)


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))


def _checked(
    plan: Plan, world: World, number: int, raw: Mapping[str, str], report: ImportReport
) -> DealRow | None:
    try:
        row = plan.convert(number, raw)
    except RowInvalid as invalid:
        for e in invalid.errors:
            report.add_error(number, e.column, e.value, e.message)
        return None
    if problem := world.stage_error(row):
        report.add_error(number, problem.column, problem.value, problem.message)
        return None
    return row


def _duplicate(report: ImportReport, row: DealRow) -> None:
    report.duplicates += 1
    if len(report.duplicate_rows) < LISTED:
        report.duplicate_rows.append({"row": row.row, "external_id": row.external_id})


def _key(name: str) -> str:
    return " ".join(name.split()).lower()


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", ".", plain).strip(".") or "someone"


@dataclass
class _StagePlan:
    name: str
    kind: str
    stage_id: int | None = None


class World:
    """What deals point at (stages, owners, teams, customers, products, competitors, loss
    reasons): found in the database by name, or planned and then created in bulk."""

    def __init__(self, form: Format, report: ImportReport) -> None:
        self.form = form
        self.report = report
        self.source = form.external_source
        self.stage_map: dict[str, str] = {
            _key(str(k)): str(v) for k, v in form.mapping.get("stages", {}).items()
        }
        self.reason_map: dict[str, str] = {
            _key(str(k)): str(v) for k, v in form.mapping.get("reasons", {}).items()
        }
        self.stages = {_key(s.name): s for s in Stage.objects.all()}
        self.by_kind: dict[str, Stage] = {}
        for stage in Stage.objects.filter(is_active=True).order_by("order", "pk"):
            self.by_kind.setdefault(stage.kind, stage)
        self.stage_plans: dict[tuple[str, str | None], _StagePlan | CellError] = {}
        self.owner_names: dict[str, str] = {}
        self.team_names: dict[str, str] = {}
        self.team_managers: dict[str, set[str]] = {}
        self.owner_teams: dict[str, str] = {}
        self.managers: set[str] = set()
        self.customers: dict[str, CustomerKey] = {}
        self.customer_owner: dict[str, tuple[str, str]] = {}
        self.products: dict[str, str] = {}
        self.competitors: dict[str, str] = {}
        self.reasons: dict[str, str] = {}
        self.needs_loss_outcome = False
        self.currency = form.default_currency or Organisation.current().currency

    # --- pass 1 ---------------------------------------------------------------------------

    def stage_error(self, row: DealRow) -> CellError | None:
        plan = self.stage_for(row)
        return plan if isinstance(plan, CellError) else None

    def stage_for(self, row: DealRow) -> _StagePlan | CellError:
        """The stage the deal is put in."""
        if row.stage_is_position and row.kind in (StageKind.WON, StageKind.LOST):
            return self._stage("", row.kind, row.stage_column)
        return self._stage(row.stage, row.kind, row.stage_column)

    def position_for(self, row: DealRow) -> _StagePlan | CellError:
        """The stage the deal stood in when it closed (its loss record's stage at loss)."""
        if row.stage_is_position and row.stage:
            return self._stage(row.stage, StageKind.OPEN, row.stage_column)
        return self.stage_for(row)

    def _stage(self, label: str, kind: str | None, column: str) -> _StagePlan | CellError:
        cache_key = (_key(label), kind)
        if cache_key not in self.stage_plans:
            self.stage_plans[cache_key] = self._plan_stage(label, kind, column)
        return self.stage_plans[cache_key]

    def _plan_stage(self, label: str, kind: str | None, column: str) -> _StagePlan | CellError:
        key = _key(label)
        if key in self.stage_map:
            target = self.stage_map[key]
            if target.lower() in StageKind.values:
                kind = target.lower()
            else:
                stage = self.stages.get(_key(target))
                if stage is None:
                    return CellError(
                        column,
                        label,
                        f"stage {label!r} is mapped to {target!r}, which is no stage",
                    )
                self.report.stages_mapped[label] = stage.name
                return _StagePlan(stage.name, stage.kind, stage.pk)
        if not label:
            if kind is None:
                return CellError(column, label, "the stage is missing")
            return self._default_stage(kind, label)
        if key in self.stages:
            stage = self.stages[key]
            return _StagePlan(stage.name, stage.kind, stage.pk)
        if kind is None:
            kind = GENERIC_OUTCOMES.get(key)
            if kind is None and self.form.name == "csv":
                return CellError(
                    column,
                    label,
                    f"stage {label!r} is mapped to nothing: it is no stage in Debrief; "
                    'name it in the mapping\'s "stages" (a stage name, or open, won or lost)',
                )
            kind = kind or StageKind.OPEN
        if key in GENERIC_OUTCOMES and GENERIC_OUTCOMES[key] == kind:
            return self._default_stage(kind, label)
        if label not in self.report.stages_created:
            self.report.stages_created.append(label)
        return _StagePlan(label[:80], kind)

    def _default_stage(self, kind: str, label: str) -> _StagePlan:
        stage = self.by_kind.get(kind)
        if stage is not None:
            self.report.stages_mapped[label or f"({kind})"] = stage.name
            return _StagePlan(stage.name, stage.kind, stage.pk)
        name = {"won": "Closed Won", "lost": "Closed Lost", "open": "Open"}[kind]
        if name not in self.report.stages_created:
            self.report.stages_created.append(name)
        return _StagePlan(name, kind)

    def gather(self, row: DealRow) -> None:
        self.position_for(row)
        owner = _key(row.owner)
        self.owner_names.setdefault(owner, row.owner or NO_OWNER)
        if row.team:
            self.team_names.setdefault(_key(row.team), row.team)
            self.owner_teams.setdefault(owner, _key(row.team))
            if row.team_manager:
                manager = _key(row.team_manager)
                self.team_managers.setdefault(_key(row.team), set()).add(row.team_manager)
                self.owner_names.setdefault(manager, row.team_manager)
                self.owner_teams.setdefault(manager, _key(row.team))
                self.managers.add(manager)
        customer = _key(row.customer.name or NO_CUSTOMER)
        if customer not in self.customers:
            self.customers[customer] = row.customer
            self.customer_owner[customer] = (owner, _key(row.team))
        for name in row.products:
            self.products.setdefault(_key(name), name)
        for name in row.competitors:
            self.competitors.setdefault(_key(name), name)
        if row.kind == StageKind.LOST or (
            not isinstance(plan := self.stage_for(row), CellError) and plan.kind == StageKind.LOST
        ):
            self.needs_loss_outcome = True
            for name in row.loss_reasons:
                self.reasons.setdefault(_key(name), name)

    # --- before pass 2 --------------------------------------------------------------------

    def create_missing(self) -> None:
        self._create_stages()
        self._create_people()
        self._create_customers()
        self.product_ids = self._named(Product, self.products, self.report.products_created)
        self.competitor_ids = self._named(
            Competitor, self.competitors, self.report.competitors_created
        )
        self._create_reasons()
        self.outcome_id: int | None = None
        if self.needs_loss_outcome:
            outcome = OutcomeType.objects.filter(name__iexact=LOSS_OUTCOME).first()
            if outcome is None:
                top = OutcomeType.objects.aggregate(m=Max("order"))["m"] or 0
                outcome = OutcomeType.objects.create(name=LOSS_OUTCOME, order=top + 1)
            self.outcome_id = outcome.pk

    def _create_stages(self) -> None:
        top = Stage.objects.aggregate(m=Max("order"))["m"] or 0
        made: dict[str, Stage] = {}
        for plan in self.stage_plans.values():
            if isinstance(plan, CellError) or plan.stage_id is not None:
                continue
            stage = made.get(_key(plan.name)) or self.stages.get(_key(plan.name))
            if stage is None:
                top += 1
                stage = Stage.objects.create(name=plan.name, kind=plan.kind, order=top)
                made[_key(plan.name)] = stage
                self.stages[_key(plan.name)] = stage
            plan.stage_id = stage.pk
            plan.kind = stage.kind

    def _create_people(self) -> None:
        users = list(User.objects.all())
        by_email = {u.email.lower(): u for u in users}
        by_name: dict[str, User] = {}
        for someone in users:
            by_name.setdefault(_key(someone.full_name), someone)
        owners: dict[str, User] = {}
        placeholders: list[User] = []
        for key, label in self.owner_names.items():
            user: User | None = by_email.get(key) or by_name.get(key)
            if user is None and not key:
                user = by_email.get(f"imported.deals@{PLACEHOLDER_DOMAIN}")
            if user is None:
                email = key if "@" in key else f"{_slug(label)}@{PLACEHOLDER_DOMAIN}"
                while email in by_email:
                    email = f"{_slug(label)}.{len(by_email)}@{PLACEHOLDER_DOMAIN}"
                # Deals need an owner; people who are not users yet get an inactive account
                # that an admin can activate (set a password) or reassign from.
                user = User(
                    email=email,
                    full_name=(label if "@" not in label else label.split("@")[0])[:150],
                    role=Role.REP,
                    is_active=False,
                    password=make_password(None),
                )
                by_email[email] = user
                placeholders.append(user)
                self.report.owners_created.append(user.full_name)
            owners[key] = user
        User.objects.bulk_create(placeholders)
        self.owner_ids: dict[str, int] = {key: user.pk for key, user in owners.items()}

        teams = {_key(t.name): t for t in Team.objects.all()}
        self.team_ids: dict[str, int] = {}
        for key, label in self.team_names.items():
            team = teams.get(key)
            if team is None:
                team = Team.objects.create(name=label[:100])
                teams[key] = team
                self.report.teams_created.append(team.name)
            self.team_ids[key] = team.pk
        # Owners without a team in the file keep their own team, or join the "Imported" one.
        member_of: dict[int, int] = {}
        for user_id, team_id in Team.members.through.objects.values_list("user_id", "team_id"):
            member_of.setdefault(user_id, team_id)
        for user_id, team_id in Team.managers.through.objects.values_list("user_id", "team_id"):
            member_of.setdefault(user_id, team_id)
        self.owner_team_ids: dict[str, int] = {}
        fallback: int | None = None
        memberships: set[tuple[int, int]] = set()
        for key, user_id in self.owner_ids.items():
            if key in self.owner_teams:
                team_id = self.team_ids[self.owner_teams[key]]
            elif user_id in member_of:
                team_id = member_of[user_id]
            else:
                if fallback is None:
                    team = teams.get(_key(NO_TEAM))
                    if team is None:
                        team = Team.objects.create(name=NO_TEAM)
                        self.report.teams_created.append(team.name)
                    fallback = team.pk
                team_id = fallback
            self.owner_team_ids[key] = team_id
            if member_of.get(user_id) != team_id and key not in self.managers:
                memberships.add((user_id, team_id))
        Team.members.through.objects.bulk_create(
            [Team.members.through(user_id=u, team_id=t) for u, t in memberships],
            ignore_conflicts=True,
        )
        managers = [
            Team.managers.through(user_id=self.owner_ids[_key(m)], team_id=self.team_ids[t])
            for t, names in self.team_managers.items()
            for m in names
        ]
        Team.managers.through.objects.bulk_create(managers, ignore_conflicts=True)

    def _create_customers(self) -> None:
        mine = {
            _key(ext): pk
            for pk, ext in Customer.objects.filter(external_source=self.source).values_list(
                "pk", "external_id"
            )
        }
        wanted = set(self.customers)
        by_name: dict[str, int] = {}
        for pk, name in Customer.objects.values_list("pk", "name").order_by("pk"):
            if _key(name) in wanted:
                by_name.setdefault(_key(name), pk)
        self.customer_ids: dict[str, int] = {}
        new: dict[str, Customer] = {}
        now = timezone.now()
        for key, customer in self.customers.items():
            found = mine.get(key) or by_name.get(key)
            if found:
                self.customer_ids[key] = found
                continue
            owner_key, _ = self.customer_owner[key]
            new[key] = Customer(
                name=(customer.name or NO_CUSTOMER)[:200],
                segment=customer.segment[:100],
                region=customer.region[:100],
                size=customer.size[:50],
                owner_id=self.owner_ids.get(owner_key),
                team_id=self.owner_team_ids.get(owner_key),
                external_source=self.source,
                external_id=(customer.name or NO_CUSTOMER)[:120],
                created_at=now,
            )
        ids = _IdSource()
        columns = ("id", "name", "segment", "region", "size", "owner_id", "team_id")
        rows = [
            [ids.next(Customer), c.name, c.segment, c.region, c.size, c.owner_id, c.team_id]
            for c in new.values()
        ]
        _insert(
            Customer,
            (*columns, "external_source", "external_id", "created_at"),
            [
                [*row, self.source, c.external_id, now]
                for row, c in zip(rows, new.values(), strict=True)
            ],
            {"updated_at": now},
        )
        self.report.customers_created = len(new)
        self.customer_ids.update(
            {key: int(str(row[0])) for key, row in zip(new, rows, strict=True)}
        )

    def _named(
        self, model: type[Model], names: dict[str, str], created: list[str]
    ) -> dict[str, int]:
        ids: dict[str, int] = {
            _key(str(name)): int(pk)
            for pk, name in model._default_manager.values_list("pk", "name")
        }
        missing = [label for key, label in names.items() if key not in ids]
        if missing:
            model._default_manager.bulk_create([model(name=label[:120]) for label in missing])
            created += missing
            ids = {
                _key(str(name)): int(pk)
                for pk, name in model._default_manager.values_list("pk", "name")
            }
        return ids

    def _create_reasons(self) -> None:
        reasons = {_key(r.name): r for r in LossReason.objects.all()}
        self.reason_ids: dict[str, int] = {}
        top = max([r.order for r in reasons.values()], default=0)
        for key, label in self.reasons.items():
            target_key = _key(self.reason_map.get(key, label))
            reason = reasons.get(target_key)
            if reason is None:
                top += 1
                reason = LossReason.objects.create(name=label[:100], order=top)
                reasons[target_key] = reason
                self.report.reasons_created.append(reason.name)
            else:
                while reason.merged_into_id is not None and reason.merged_into is not None:
                    reason = reason.merged_into
                if _key(reason.name) != key:
                    self.report.reasons_mapped[label] = reason.name
            self.reason_ids[key] = reason.pk


DEAL_COLUMNS = (
    "id",
    "name",
    "customer_id",
    "owner_id",
    "team_id",
    "amount",
    "currency",
    "stage_id",
    "status",
    "expected_close_date",
    "closed_on",
    "source",
    "attributes",
    "external_source",
    "external_id",
    "created_at",
)
COMPARED = (
    "name",
    "customer_id",
    "owner_id",
    "team_id",
    "amount",
    "currency",
    "stage_id",
    "status",
    "expected_close_date",
    "closed_on",
    "source",
    "attributes",
)


class Writer:
    """Writes batches of checked rows: new deals inserted in bulk with their products,
    competitors and loss records; changed deals updated; unchanged ones counted."""

    def __init__(self, world: World, report: ImportReport) -> None:
        self.world = world
        self.report = report
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.ids = _IdSource()
        # The first import from a source finds nothing to update: no need to look.
        self.first_import = not Deal.objects.filter(external_source=world.source).exists()

    def values(self, row: DealRow) -> dict[str, Any]:
        w = self.world
        plan = w.stage_for(row)
        assert not isinstance(plan, CellError)
        owner = _key(row.owner)
        status = plan.kind
        closed = row.closed if status != DealStatus.OPEN else None
        if status != DealStatus.OPEN and closed is None:
            closed = None
        team = w.team_ids[_key(row.team)] if row.team else w.owner_team_ids[owner]
        return {
            "name": (row.name or row.external_id)[:200],
            "customer_id": w.customer_ids[_key(row.customer.name or NO_CUSTOMER)],
            "owner_id": w.owner_ids[owner],
            "team_id": team,
            "amount": row.amount,
            "currency": row.currency or w.currency,
            "stage_id": plan.stage_id,
            "status": status,
            "expected_close_date": row.expected_close if status == DealStatus.OPEN else None,
            "closed_on": closed,
            "source": row.source[:100],
            "attributes": row.attributes,
        }

    def write(self, rows: list[DealRow]) -> None:
        if not rows:
            return
        w = self.world
        source = w.source
        existing = {}
        if not self.first_import:
            # exclude("") lets the database use the partial unique index on (source, id).
            existing = {
                d["external_id"]: d
                for d in Deal.objects.filter(
                    external_source=source, external_id__in=[r.external_id for r in rows]
                )
                .exclude(external_id="")
                .order_by()
                .values("id", "external_id", "created_at", *COMPARED)
            }
        if existing:
            self._load_links(existing)
        new_deals: list[list[Any]] = []
        links: list[tuple[int, DealRow, dict[str, Any]]] = []
        changed: list[Deal] = []
        relink: list[tuple[int, DealRow, dict[str, Any]]] = []
        for row in rows:
            values = self.values(row)
            old = existing.get(row.external_id)
            if old is None:
                deal_id = self.ids.next(Deal)
                created = row.created or self.now
                new_deals.append(
                    [
                        deal_id,
                        *(values[c] for c in DEAL_COLUMNS[1:13]),
                        source,
                        row.external_id[:120],
                        created,
                    ]
                )
                links.append((deal_id, row, values))
                continue
            same = all(old[c] == values[c] for c in COMPARED) and (
                row.created is None or old["created_at"] == row.created
            )
            same_links = old["_links"] == self._links_of(row, values)
            if same and same_links:
                self.report.unchanged += 1
                continue
            self.report.updated += 1
            if not same:
                deal = Deal(pk=old["id"], **{c: values[c] for c in COMPARED})
                deal.created_at = row.created or old["created_at"]
                deal.updated_at = self.now
                changed.append(deal)
            if not same_links or old["status"] != values["status"]:
                relink.append((old["id"], row, values))
        self.report.created += len(new_deals)
        _insert(Deal, DEAL_COLUMNS, new_deals, {"updated_at": self.now})
        if changed:
            Deal.objects.bulk_update(changed, [*COMPARED, "created_at", "updated_at"])
        if relink:
            ids = [deal_id for deal_id, _, _ in relink]
            Deal.products.through.objects.filter(deal_id__in=ids).delete()
            Deal.competitors.through.objects.filter(deal_id__in=ids).delete()
            LossRecord.objects.filter(deal_id__in=ids, note__startswith=_loss_note("")).delete()
        self._write_links(links + relink)

    def _links_of(self, row: DealRow, values: dict[str, Any]) -> tuple[Any, ...]:
        w = self.world
        reasons: tuple[int, ...] = ()
        if values["status"] == DealStatus.LOST:
            reasons = tuple(dict.fromkeys(w.reason_ids[_key(r)] for r in row.loss_reasons))
        return (
            frozenset(w.product_ids[_key(p)] for p in row.products),
            frozenset(w.competitor_ids[_key(c)] for c in row.competitors),
            reasons,
        )

    def _load_links(self, existing: dict[str, dict[str, Any]]) -> None:
        by_id = {d["id"]: d for d in existing.values()}
        products: dict[int, set[int]] = {}
        competitors: dict[int, set[int]] = {}
        reasons: dict[int, list[int]] = {}
        for deal_id, product_id in Deal.products.through.objects.filter(
            deal_id__in=by_id
        ).values_list("deal_id", "product_id"):
            products.setdefault(deal_id, set()).add(product_id)
        for deal_id, competitor_id in Deal.competitors.through.objects.filter(
            deal_id__in=by_id
        ).values_list("deal_id", "competitor_id"):
            competitors.setdefault(deal_id, set()).add(competitor_id)
        for deal_id, reason_id in (
            LossRecordReason.objects.filter(
                loss__deal_id__in=by_id, loss__note__startswith=_loss_note("")
            )
            .order_by("loss_id", "-is_primary", "pk")
            .values_list("loss__deal_id", "reason_id")
        ):
            reasons.setdefault(deal_id, []).append(reason_id)
        for deal_id, deal in by_id.items():
            deal["_links"] = (
                frozenset(products.get(deal_id, ())),
                frozenset(competitors.get(deal_id, ())),
                tuple(reasons.get(deal_id, ())),
            )

    def _write_links(self, links: Iterable[tuple[int, DealRow, dict[str, Any]]]) -> None:
        w = self.world
        products: list[list[Any]] = []
        competitors: list[list[Any]] = []
        losses: list[list[Any]] = []
        reasons: list[list[Any]] = []
        note = _loss_note(w.source)
        for deal_id, row, values in links:
            product_ids, competitor_ids, reason_ids = self._links_of(row, values)
            products += [[deal_id, p] for p in product_ids]
            competitors += [[deal_id, c] for c in competitor_ids]
            if values["status"] != DealStatus.LOST:
                continue
            loss_id = self.ids.next(LossRecord)
            losses.append(
                [
                    loss_id,
                    deal_id,
                    values["owner_id"],
                    values["closed_on"] or self.today,
                    w.outcome_id,
                    self._position_id(row, values),
                    values["amount"],
                    values["currency"],
                    note,
                ]
            )
            for i, reason_id in enumerate(reason_ids):
                reasons.append([self.ids.next(LossRecordReason), loss_id, reason_id, i == 0])
        _insert(Deal.products.through, ("deal_id", "product_id"), products, {})
        _insert(Deal.competitors.through, ("deal_id", "competitor_id"), competitors, {})
        _insert(
            LossRecord,
            (
                "id",
                "deal_id",
                "recorded_by_id",
                "lost_on",
                "outcome_type_id",
                "stage_at_loss_id",
                "amount_at_loss",
                "currency",
                "note",
            ),
            losses,
            {"created_at": self.now, "updated_at": self.now},
        )
        _insert(LossRecordReason, ("id", "loss_id", "reason_id", "is_primary"), reasons, {})
        self.report.losses_created += len(losses)

    def _position_id(self, row: DealRow, values: dict[str, Any]) -> int:
        plan = self.world.position_for(row)
        return values["stage_id"] if isinstance(plan, CellError) else plan.stage_id or 0


def _loss_note(source: str) -> str:
    return f"Imported from {source}".rstrip() if source else "Imported from "


class _IdSource:
    """Ids handed out before rows are written, so that deals, loss records and their links
    can be inserted in bulk without reading ids back. PostgreSQL's sequences hand them out;
    on SQLite the import holds the write lock, so the next id is the largest plus one."""

    def __init__(self) -> None:
        self.pools: dict[type[Model], list[int]] = {}
        self.next_sqlite: dict[type[Model], int] = {}

    def next(self, model: type[Model]) -> int:
        if connection.vendor == "postgresql":
            pool = self.pools.setdefault(model, [])
            if not pool:
                table = model._meta.db_table
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        [table, BATCH * 2],
                    )
                    pool.extend(r[0] for r in reversed(cursor.fetchall()))
            return pool.pop()
        if model not in self.next_sqlite:
            top = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
            self.next_sqlite[model] = top + 1
        value = self.next_sqlite[model]
        self.next_sqlite[model] = value + 1
        return value


def _insert(
    model: type[Model], columns: Sequence[str], rows: list[list[Any]], fixed: dict[str, Any]
) -> None:
    """Insert plain rows: COPY on PostgreSQL, multi-row INSERTs elsewhere. `bulk_create`
    compiles SQL per value, which dominates at a million rows; fields not given take their
    defaults, as the ORM would give them."""
    if not rows:
        return
    meta = model._meta
    by_column = {f.attname: f for f in meta.concrete_fields}
    given = [by_column[c] for c in columns]
    rest = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
    rest_values = [fixed[f.name] if f.name in fixed else f.get_default() for f in rest]
    fields = [*given, *rest]
    adapters = [_adapter(f) for f in fields]
    quote = connection.ops.quote_name
    target = "{} ({})".format(
        quote(meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row([a(v) for a, v in zip(adapters, [*row, *rest_values], strict=True)])
        return
    per_statement = max(1, min(500, 999 // len(fields)))
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    rest_adapted = [a(v) for a, v in zip(adapters[len(given) :], rest_values, strict=True)]
    head_adapters = adapters[: len(given)]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            for row in chunk:
                params += [a(v) for a, v in zip(head_adapters, row, strict=True)]
                params += rest_adapted
            cursor.execute(
                f"INSERT INTO {target} VALUES " + ", ".join([placeholders] * len(chunk)), params
            )


def _adapter(f: Any) -> Callable[[Any], Any]:
    kind = f.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda v: None if v is None else json.dumps(v)
    if kind == "DecimalField":
        return lambda v: None if v is None else str(v)
    return _same


def _same(value: Any) -> Any:
    return value


__all__ = [
    "FORMATS",
    "ImportReport",
    "after_import",
    "import_files",
    "register_after_import",
    "start_import",
]
