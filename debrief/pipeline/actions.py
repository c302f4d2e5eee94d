"""Every write to the sales core. Each action is atomic, checks the business rules (raising
`ValidationError` keyed by field), records the deal's event rows, and queues follow-up tasks
only once the transaction has committed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from debrief.org import access
from debrief.org.models import Role, Team, User
from debrief.pipeline import signals, tasks
from debrief.pipeline.models import (
    Competitor,
    Contact,
    ContactRole,
    Customer,
    Deal,
    DealContact,
    DealEvent,
    DealEventKind,
    DealStatus,
    FollowUp,
    Product,
    Stage,
    StageKind,
)

CUSTOMER_FIELDS = (
    "name",
    "segment",
    "size",
    "region",
    "website",
    "renewal_on",
    "owner",
    "team",
)
CONTACT_FIELDS = ("name", "title", "email", "phone")
DEAL_FIELDS = (
    "name",
    "customer",
    "owner",
    "team",
    "amount",
    "currency",
    "stage",
    "expected_close_date",
    "source",
    "next_step",
    "next_step_date",
    "attributes",
)


def _clean(instance: Any, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


# --- customers and contacts ---------------------------------------------------------------


@transaction.atomic
def create_customer(by: User | None, **fields: Any) -> Customer:
    """Create a customer. Made by a person, the pages and the API default alike: no owner
    given, a rep or manager owns what they create (else nobody would see it but admins); no
    team given, it is the owner's team. Imports (no `by`) keep exactly what they bring."""
    if by is not None:
        if fields.get("owner") is None and by.role in (Role.REP, Role.MANAGER):
            fields["owner"] = by
        if fields.get("team") is None and fields.get("owner") is not None:
            fields["team"] = owner_team(fields["owner"])
    customer = Customer(**{k: v for k, v in fields.items() if k in CUSTOMER_FIELDS})
    _clean(customer)
    customer.save()
    return customer


@transaction.atomic
def update_customer(customer: Customer, by: User | None, **changes: Any) -> Customer:
    changed = [k for k in CUSTOMER_FIELDS if k in changes and getattr(customer, k) != changes[k]]
    for name in changed:
        setattr(customer, name, changes[name])
    if changed:
        _clean(customer)
        customer.save(update_fields=[*changed, "updated_at"])
    return customer


@transaction.atomic
def create_contact(customer: Customer, by: User | None, **fields: Any) -> Contact:
    contact = Contact(customer=customer, **{k: v for k, v in fields.items() if k in CONTACT_FIELDS})
    _clean(contact)
    contact.save()
    return contact


@transaction.atomic
def update_contact(contact: Contact, by: User | None, **changes: Any) -> Contact:
    changed = [k for k in CONTACT_FIELDS if k in changes and getattr(contact, k) != changes[k]]
    for name in changed:
        setattr(contact, name, changes[name])
    if changed:
        _clean(contact)
        contact.save(update_fields=[*changed, "updated_at"])
    return contact


@transaction.atomic
def add_deal_contact(deal: Deal, contact: Contact, role: str, by: User | None) -> DealContact:
    if contact.customer_id != deal.customer_id:
        raise ValidationError({"contact": f"{contact} works for another customer."})
    if role not in ContactRole.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    link, _ = DealContact.objects.update_or_create(
        deal=deal, contact=contact, defaults={"role": role}
    )
    return link


@transaction.atomic
def remove_deal_contact(deal: Deal, contact: Contact, by: User | None) -> None:
    DealContact.objects.filter(deal=deal, contact=contact).delete()


# --- products and competitors -------------------------------------------------------------


@transaction.atomic
def create_competitor(by: User | None, name: str, website: str = "") -> Competitor:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A competitor needs a name."})
    if Competitor.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"{name} is already in the competitor list."})
    competitor = Competitor(name=name, website=website)
    _clean(competitor)
    competitor.save()
    return competitor


@transaction.atomic
def update_competitor(competitor: Competitor, by: User | None, **changes: Any) -> Competitor:
    if "name" in changes:
        name = changes["name"].strip()
        clash = Competitor.objects.filter(name__iexact=name).exclude(pk=competitor.pk)
        if not name or clash.exists():
            raise ValidationError({"name": f"{name or 'An empty name'} is not available."})
        competitor.name = name
    if "website" in changes:
        competitor.website = changes["website"]
    _clean(competitor)
    competitor.save(update_fields=["name", "website", "updated_at"])
    return competitor


def get_or_create_product(name: str) -> Product:
    product = Product.objects.filter(name__iexact=name.strip()).first()
    return product or Product.objects.create(name=name.strip())


# --- stages -------------------------------------------------------------------------------


@transaction.atomic
def create_stage(
    by: User | None, name: str, kind: str, probability: int, order: int | None = None
) -> Stage:
    if order is None:
        last = Stage.objects.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    stage = Stage(name=name.strip(), kind=kind, probability=probability, order=order)
    _clean(stage)
    if Stage.objects.filter(name__iexact=stage.name).exists():
        raise ValidationError({"name": f"There is already a stage called {stage.name}."})
    stage.save()
    return stage


@transaction.atomic
def update_stage(stage: Stage, by: User | None, **changes: Any) -> Stage:
    fields = [f for f in ("name", "kind", "probability", "order", "is_active") if f in changes]
    if "kind" in changes and changes["kind"] != stage.kind and stage.deals.exists():
        raise ValidationError(
            {"kind": "Deals are in this stage: move them before changing what it means."}
        )
    if "name" in changes:
        clash = Stage.objects.filter(name__iexact=changes["name"].strip()).exclude(pk=stage.pk)
        if clash.exists():
            raise ValidationError({"name": f"There is already a stage called {changes['name']}."})
    for f in fields:
        setattr(stage, f, changes[f].strip() if f == "name" else changes[f])
    _clean(stage)
    if (
        stage.is_active is False
        and not Stage.objects.filter(kind=stage.kind, is_active=True).exclude(pk=stage.pk).exists()
    ):
        raise ValidationError(
            {"is_active": f"At least one {stage.get_kind_display().lower()} stage must stay."}
        )
    stage.save(update_fields=[*fields, "updated_at"])
    return stage


@transaction.atomic
def reorder_stages(by: User | None, stage_ids: list[int]) -> None:
    stages = {s.pk: s for s in Stage.objects.select_for_update()}
    if set(stage_ids) != set(stages):
        raise ValidationError({"order": "Give every stage exactly once."})
    for position, pk in enumerate(stage_ids, start=1):
        stages[pk].order = position
    Stage.objects.bulk_update(stages.values(), ["order"])
    signals.pipeline_data_changed()  # bulk_update sends no signals; the pipeline lists stages in order


# --- deals --------------------------------------------------------------------------------


def _check_deal_rules(deal: Deal, by: User | None, changed: set[str] | None = None) -> None:
    """The rules a deal must keep. On an update only the changed fields are checked, so a
    deal in a stage retired since, or whose owner has left the team, can still be edited."""

    def checks(*fields: str) -> bool:
        return changed is None or bool(changed & set(fields))

    errors: dict[str, str] = {}
    owner: User = deal.owner
    if checks("owner", "team"):
        if not owner.is_active or owner.role == Role.ANALYST:
            errors["owner"] = f"{owner} cannot own deals."
        elif not Team.objects.filter(_members_q(owner), pk=deal.team_id).exists():
            errors["owner"] = f"{owner} is not in the team {deal.team}."
        if by is not None and "owner" not in errors:
            if not access.assignable_owners(by).filter(pk=owner.pk).exists():
                errors["owner"] = f"You cannot give deals to {owner}."
            elif not access.assignable_teams(by).filter(pk=deal.team_id).exists():
                errors["team"] = f"You cannot put deals in the team {deal.team}."
    if checks("stage") and not deal.stage.is_active:
        errors["stage"] = f"The stage {deal.stage} is retired."
    if checks("amount") and deal.amount is not None and deal.amount < 0:
        errors["amount"] = "The amount cannot be negative."
    if errors:
        raise ValidationError(errors)


def business_date(at: dt.datetime) -> dt.date:
    """The calendar day of a moment for the organisation's records (a deal's close date),
    in the deployment's time zone: the same whoever clicks, wherever they are."""
    return timezone.localdate(at, timezone.get_default_timezone())


def _members_q(user: User) -> Q:
    return Q(members=user) | Q(managers=user)


def _status_for(stage: Stage) -> str:
    return {
        StageKind.OPEN: DealStatus.OPEN,
        StageKind.WON: DealStatus.WON,
        StageKind.LOST: DealStatus.LOST,
    }[StageKind(stage.kind)]


def _check_not_a_silent_loss(stage: Stage, by: User | None, as_loss: bool) -> None:
    """People lose a deal through the loss form, which keeps why; only imports and the demo
    (no acting user) bring deals in lost already, with the history they carry."""
    if stage.kind == StageKind.LOST and by is not None and not as_loss:
        raise ValidationError(
            {"stage": "Use 'Mark lost' to close a deal as lost: it keeps why it was lost."}
        )


class DealConflict(ValidationError):
    """A change made from an old copy of the deal: someone else saved it in between. Keyed by
    field like any refusal: `version` says what happened, and each field the other person
    changed says its new value."""

    def __init__(self, deal: Deal, read_version: int) -> None:
        self.changes = {
            name: _shown(deal, name)
            for name, version in sorted(deal.changed_in.items())
            if int(version) > read_version
        }
        changed = ", ".join(name.replace("_", " ") for name in self.changes) or "the deal"
        messages: dict[str, str] = {
            "version": f"Someone else changed this deal while you were editing it ({changed}); "
            "nothing of yours is saved. Check their changes below, then save again."
        }
        messages.update(
            {name: f"Changed meanwhile to: {value}" for name, value in self.changes.items()}
        )
        super().__init__(messages)

    def labelled(self) -> list[tuple[str, str]]:
        """The changes as a person reads them: ("Next step", "Call the CFO")."""
        return [(name.replace("_", " ").capitalize(), v) for name, v in self.changes.items()]


def _shown(deal: Deal, name: str) -> str:
    """A field's current value as a person reads it."""
    if name in ("products", "competitors"):
        return ", ".join(sorted(str(r) for r in getattr(deal, name).all())) or "(none)"
    value = getattr(deal, name)
    if name == "amount":
        return f"{Decimal(value):.2f}"
    return "(empty)" if value in (None, "", {}) else str(value)


def _lock(deal: Deal, read_version: int | None) -> None:
    """Lock the deal's row for this transaction and refuse a change made from an old copy."""
    deal.version, deal.changed_in = (
        Deal.objects.select_for_update().values_list("version", "changed_in").get(pk=deal.pk)
    )
    if read_version is not None and read_version != deal.version:
        deal.refresh_from_db()
        raise DealConflict(deal, read_version)


def _bump(deal: Deal, fields: Iterable[str]) -> None:
    """Count a change to these fields as the deal's next version (saved by the caller)."""
    deal.version += 1
    deal.changed_in = {**deal.changed_in, **dict.fromkeys(fields, deal.version)}


def _on_commit_deal_changed(deal: Deal) -> None:
    """Tell later parts of the loop (practice matching) that the deal changed."""
    signals.deal_changed.send(sender=Deal, deal_id=deal.pk)


@transaction.atomic
def create_deal(
    by: User | None,
    *,
    products: Iterable[Product] = (),
    competitors: Iterable[Competitor] = (),
    created_at: dt.datetime | None = None,
    **fields: Any,
) -> Deal:
    """Create a deal. No team given, it goes to the owner's team; no stage, to the first
    open stage."""
    if fields.get("team") is None and fields.get("owner") is not None:
        fields["team"] = owner_team(fields["owner"])
        if fields["team"] is None:
            raise ValidationError({"team": f"{fields['owner']} is in no team: choose one."})
    if fields.get("stage") is None:
        fields["stage"] = default_open_stage()
    deal = Deal(**{k: v for k, v in fields.items() if k in DEAL_FIELDS})
    if not deal.currency:
        from debrief.org.models import Organisation

        deal.currency = Organisation.current().currency
    deal.currency = deal.currency.upper()
    deal.amount = Decimal(deal.amount or 0)
    deal.created_at = created_at or timezone.now()
    _clean(deal, exclude=["status", "closed_on"])
    _check_deal_rules(deal, by)
    _check_not_a_silent_loss(deal.stage, by, as_loss=False)
    deal.status = _status_for(deal.stage)
    if deal.status != DealStatus.OPEN:
        deal.closed_on = business_date(deal.created_at)
    deal.save()
    deal.products.set(products)
    deal.competitors.set(competitors)
    DealEvent.objects.create(
        deal=deal,
        kind=DealEventKind.CREATED,
        actor=by,
        at=deal.created_at,
        to_value=deal.stage.name,
    )
    if deal.status != DealStatus.OPEN:
        DealEvent.objects.create(deal=deal, kind=deal.status, actor=by, at=deal.created_at)
    transaction.on_commit(partial(_on_commit_deal_changed, deal))
    if by is not None and deal.owner_id != by.pk:
        transaction.on_commit(
            partial(
                tasks.send_deal_assigned.enqueue,
                deal.pk,
                deal.owner_id,
                by.pk,
                version=deal.version,
            )
        )
    return deal


@transaction.atomic
def move_deal_stage(
    deal: Deal,
    by: User | None,
    stage: Stage,
    *,
    at: dt.datetime | None = None,
    as_loss: bool = False,
    as_reopening: bool = False,
    read_version: int | None = None,
) -> Deal:
    """Move a deal to a stage. Crossing into a won or lost stage closes it; leaving one
    reopens it. Each crossing is its own event row. `read_version`, when given, is the
    version the mover saw: an older one than the deal's is refused (`DealConflict`)."""
    _lock(deal, read_version)
    if stage.pk == deal.stage_id:
        return deal
    _bump(deal, ["stage"])
    _move_stage(deal, by, stage, at=at, as_loss=as_loss, as_reopening=as_reopening)
    return deal


def _move_stage(
    deal: Deal,
    by: User | None,
    stage: Stage,
    *,
    at: dt.datetime | None,
    as_loss: bool,
    as_reopening: bool,
    update_version: bool = True,
) -> None:
    if stage.pk == deal.stage_id:
        return
    if not stage.is_active:
        raise ValidationError({"stage": f"The stage {stage} is retired."})
    _check_not_a_silent_loss(stage, by, as_loss)
    if deal.status == DealStatus.LOST and by is not None and not as_reopening:
        raise ValidationError(
            {"stage": "Use 'Reopen' to bring a lost deal back: its loss record is kept in history."}
        )
    at = at or timezone.now()
    old_stage = deal.stage
    old_status = deal.status
    new_status = _status_for(stage)
    deal.stage = stage
    deal.status = new_status
    update = ["stage", "status", "updated_at"]
    if update_version:
        update += ["version", "changed_in"]
    if new_status != old_status:
        deal.closed_on = None if new_status == DealStatus.OPEN else business_date(at)
        update.append("closed_on")
    deal.save(update_fields=update)
    DealEvent.objects.create(
        deal=deal,
        kind=DealEventKind.STAGE_CHANGED,
        actor=by,
        at=at,
        from_value=old_stage.name,
        to_value=stage.name,
    )
    if new_status != old_status:
        kind = DealEventKind.REOPENED if new_status == DealStatus.OPEN else new_status
        DealEvent.objects.create(
            deal=deal, kind=kind, actor=by, at=at, from_value=old_stage.name, to_value=stage.name
        )
    transaction.on_commit(partial(_on_commit_deal_changed, deal))


@transaction.atomic
def update_deal(
    deal: Deal,
    by: User | None,
    *,
    products: Iterable[Product] | None = None,
    competitors: Iterable[Competitor] | None = None,
    read_version: int | None = None,
    **changes: Any,
) -> Deal:
    """Change a deal's fields. A new stage is a stage move, with its events; a new amount or
    owner leaves an event row; a new owner is told by email. `read_version`, when given, is
    the version the editor started from: an older one than the deal's is refused with what
    changed since (`DealConflict`), so no one's change is silently overwritten."""
    _lock(deal, read_version)
    products = None if products is None else list(products)
    competitors = None if competitors is None else list(competitors)
    if changes.get("currency"):
        changes["currency"] = changes["currency"].upper()
    new_stage = changes.pop("stage", None)
    old_amount, old_owner = deal.amount, deal.owner
    changed = [k for k in DEAL_FIELDS if k in changes and getattr(deal, k) != changes[k]]
    for name in changed:
        setattr(deal, name, changes[name])
    bumped = [
        *changed,
        *(["stage"] if new_stage is not None and new_stage.pk != deal.stage_id else []),
        *(["products"] if products is not None and _differ(deal.products, products) else []),
        *(
            ["competitors"]
            if competitors is not None and _differ(deal.competitors, competitors)
            else []
        ),
    ]
    if bumped:
        _bump(deal, bumped)
    if changed:
        _clean(deal, exclude=["status", "closed_on"])
        _check_deal_rules(deal, by, set(changed))
        if "customer" in changed:
            # A contact of the old customer has no role on a deal with the new one.
            DealContact.objects.filter(deal=deal).exclude(
                contact__customer_id=deal.customer_id
            ).delete()
        deal.save(update_fields=[*changed, "updated_at", "version", "changed_in"])
    elif bumped and (new_stage is None or new_stage.pk == deal.stage_id):
        deal.save(update_fields=["updated_at", "version", "changed_in"])
    if "amount" in changed and Decimal(deal.amount) != old_amount:
        DealEvent.objects.create(
            deal=deal,
            kind=DealEventKind.AMOUNT_CHANGED,
            actor=by,
            from_value=f"{old_amount:.2f}",
            to_value=f"{Decimal(deal.amount):.2f}",
        )
    if "owner" in changed:
        DealEvent.objects.create(
            deal=deal,
            kind=DealEventKind.OWNER_CHANGED,
            actor=by,
            from_value=str(old_owner),
            to_value=str(deal.owner),
            data={"from_id": old_owner.pk, "to_id": deal.owner_id},
        )
        if by is None or deal.owner_id != by.pk:
            transaction.on_commit(
                partial(
                    tasks.send_deal_assigned.enqueue,
                    deal.pk,
                    deal.owner_id,
                    by.pk if by else None,
                    version=deal.version,
                )
            )
    if products is not None:
        deal.products.set(products)
    if competitors is not None:
        deal.competitors.set(competitors)
    if new_stage is not None:
        _move_stage(
            deal,
            by,
            new_stage,
            at=None,
            as_loss=False,
            as_reopening=False,
            update_version=not changed,
        )
    elif changed or products is not None or competitors is not None:
        transaction.on_commit(partial(_on_commit_deal_changed, deal))
    return deal


def _differ(current: Any, records: Iterable[Any]) -> bool:
    """Whether a many-to-many (`deal.products`) would change by being set to these records."""
    return set(current.values_list("pk", flat=True)) != {r.pk for r in records}


def default_open_stage() -> Stage:
    stage = Stage.objects.filter(kind=StageKind.OPEN, is_active=True).first()
    if stage is None:
        raise ValidationError({"stage": "The pipeline has no open stage: an admin must add one."})
    return stage


def owner_team(owner: User) -> Team | None:
    """The team a new deal of this owner goes to when none is given."""
    return Team.objects.filter(_members_q(owner)).order_by("pk").first()


# --- follow-ups ---------------------------------------------------------------------------


@transaction.atomic
def create_follow_up(
    by: User | None,
    *,
    owner: User,
    title: str,
    due_on: dt.date,
    deal: Deal | None = None,
    customer: Customer | None = None,
    kind: str = "",
    detail: str = "",
) -> FollowUp:
    if not title.strip():
        raise ValidationError({"title": "Say what needs doing."})
    if not owner.is_active:
        raise ValidationError({"owner": f"{owner} is no longer active."})
    return FollowUp.objects.create(
        owner=owner,
        deal=deal,
        customer=customer or (deal.customer if deal else None),
        kind=kind,
        title=title.strip()[:200],
        detail=detail.strip(),
        due_on=due_on,
        created_by=by,
    )


@transaction.atomic
def complete_follow_up(follow_up: FollowUp, by: User | None) -> FollowUp:
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.save(update_fields=["done_at", "updated_at"])
    return follow_up


@transaction.atomic
def cancel_follow_up(follow_up: FollowUp, by: User | None) -> None:
    """Drop a follow-up that no longer applies (it was replaced); a done one is history and
    stays."""
    if follow_up.done_at is None:
        follow_up.delete()
