"""No overlapping leases of one start-up space, guaranteed by PostgreSQL (btree_gist exclusion constraint).

Spelled out here rather than imported from the models (see reservations' 0002); the statuses are those that
occupy a space, compared with `tenants.models.OCCUPYING` (then `facilities.models`) by `reservations/tests/test_constraints.py`.
"""

from django.db import migrations

OCCUPYING = ("applied", "active", "ending")


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statuses = ", ".join(f"'{s}'" for s in OCCUPYING)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE facilities_lease ADD CONSTRAINT lease_no_overlap_per_space "
        "EXCLUDE USING gist (daterange(starts_on, ends_on, '[]') WITH &&, space_id WITH =) "
        f"WHERE (status IN ({statuses}))"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE facilities_lease DROP CONSTRAINT IF EXISTS lease_no_overlap_per_space")


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_tenancy")]
    operations = [migrations.RunPython(add, remove)]
