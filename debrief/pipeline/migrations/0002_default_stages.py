"""Seed a conventional B2B pipeline; admins rename, reorder or retire stages afterwards."""

from django.db import migrations

STAGES = [
    # name, order, probability, kind
    ("Prospecting", 1, 10, "open"),
    ("Qualification", 2, 20, "open"),
    ("Discovery", 3, 40, "open"),
    ("Proposal", 4, 60, "open"),
    ("Negotiation", 5, 80, "open"),
    ("Closed Won", 6, 100, "won"),
    ("Closed Lost", 7, 0, "lost"),
]


def seed(apps, schema_editor):
    Stage = apps.get_model("pipeline", "Stage")
    if Stage.objects.exists():
        return
    for name, order, probability, kind in STAGES:
        Stage.objects.create(name=name, order=order, probability=probability, kind=kind)


def unseed(apps, schema_editor):
    Stage = apps.get_model("pipeline", "Stage")
    Stage.objects.filter(name__in=[s[0] for s in STAGES], deals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
