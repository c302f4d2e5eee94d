"""Seed the outcome types and the reason list every organisation starts from; admins rename,
retire, add and merge afterwards."""

from django.db import migrations

OUTCOME_TYPES = [
    "Lost to a competitor",
    "No decision",
    "No budget",
    "Chose to build or do nothing",
    "Unknown",
]

# name, is_other, outside the rep's control (price, marketing, the customer)
REASONS = [
    ("Price", False, True),
    ("Competitor's offer", False, False),
    ("No budget", False, True),
    ("No decision or priority", False, False),
    ("Missing capability", False, True),
    ("Product or service quality", False, True),
    ("Marketing and sales misalignment", False, True),
    ("Timing", False, True),
    ("Relationship or rep fit", False, False),
    ("Other", True, False),
]


def seed(apps, schema_editor):
    OutcomeType = apps.get_model("losses", "OutcomeType")
    LossReason = apps.get_model("losses", "LossReason")
    if not OutcomeType.objects.exists():
        for order, name in enumerate(OUTCOME_TYPES, start=1):
            OutcomeType.objects.create(name=name, order=order)
    if not LossReason.objects.exists():
        for order, (name, is_other, outside) in enumerate(REASONS, start=1):
            LossReason.objects.create(
                name=name, order=order, is_other=is_other, outside_rep_control=outside
            )


def unseed(apps, schema_editor):
    apps.get_model("losses", "OutcomeType").objects.filter(
        name__in=OUTCOME_TYPES, losses__isnull=True
    ).delete()
    apps.get_model("losses", "LossReason").objects.filter(
        name__in=[r[0] for r in REASONS], loss_links__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("losses", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
