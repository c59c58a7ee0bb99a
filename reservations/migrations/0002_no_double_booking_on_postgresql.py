"""The no-double-booking guarantee on PostgreSQL: btree_gist exclusion constraints per resource."""

from django.db import migrations


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from reservations.models import exclusion_constraints

    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    model = apps.get_model("reservations", "Reservation")
    for constraint in exclusion_constraints():
        schema_editor.add_constraint(model, constraint)


def remove_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from reservations.models import exclusion_constraints

    model = apps.get_model("reservations", "Reservation")
    for constraint in exclusion_constraints():
        schema_editor.remove_constraint(model, constraint)


class Migration(migrations.Migration):
    dependencies = [("reservations", "0001_initial")]
    operations = [migrations.RunPython(add_constraints, remove_constraints)]
