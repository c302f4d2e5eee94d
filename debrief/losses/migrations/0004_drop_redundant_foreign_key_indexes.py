# The index Django made for `loss` is redundant: "loss_reason_unique" (loss, reason) leads with
# it. Django's AlterField would also drop "loss_one_primary_reason" on PostgreSQL, a partial
# unique index on the same column, so this drops the one index by its name.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("losses", "0003_loss_relationship_damaged"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="lossrecordreason",
                    name="loss",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reason_links",
                        to="losses.lossrecord",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS losses_lossrecordreason_loss_id_6e7584f9",
                    reverse_sql="CREATE INDEX losses_lossrecordreason_loss_id_6e7584f9 "
                    "ON losses_lossrecordreason (loss_id)",
                ),
            ],
        ),
    ]
