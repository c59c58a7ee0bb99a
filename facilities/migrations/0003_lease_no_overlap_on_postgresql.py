"""No overlapping leases of one start-up space, guaranteed by PostgreSQL (btree_gist exclusion constraint)."""

from django.db import migrations


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from facilities.models import lease_exclusion_constraint

    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.add_constraint(apps.get_model("facilities", "Lease"), lease_exclusion_constraint())


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from facilities.models import lease_exclusion_constraint

    schema_editor.remove_constraint(apps.get_model("facilities", "Lease"), lease_exclusion_constraint())


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_tenancy")]
    operations = [migrations.RunPython(add, remove)]
