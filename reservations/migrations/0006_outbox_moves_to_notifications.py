"""The outbox moved to the notifications app (its 0001 takes the model, 0002 renames the table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reservations", "0005_clearer_status_labels"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Outbox")]),
    ]
