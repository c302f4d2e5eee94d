"""The deployment's one organisation, with the default settings."""

from django.db import migrations


def create(apps, schema_editor):
    Organisation = apps.get_model("org", "Organisation")
    if not Organisation.objects.exists():
        Organisation.objects.create()


def remove(apps, schema_editor):
    pass  # Keep the settings an admin may have edited; 0001's reversal drops the table.


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
