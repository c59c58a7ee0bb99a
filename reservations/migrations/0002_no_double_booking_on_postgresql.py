"""The no-double-booking guarantee on PostgreSQL: btree_gist exclusion constraints per resource.

The definition is spelled out here, not imported from the models, so a later change to the statuses that
hold a slot cannot make fresh and existing databases differ: such a change needs a migration of its own.
`reservations/tests/test_constraints.py` compares these constraints, as PostgreSQL reports them, with
`reservations.models.HOLDING`.
"""

from django.db import migrations

HOLDING = ("requested", "confirmed", "checked_in", "completed")


def _sql(field: str) -> str:
    statuses = ", ".join(f"'{s}'" for s in HOLDING)
    return (
        f"ALTER TABLE reservations_reservation ADD CONSTRAINT reservation_no_overlap_{field} "
        f"EXCLUDE USING gist (tstzrange(start_at, blocked_until, '[)') WITH &&, {field}_id WITH =) "
        f"WHERE (status IN ({statuses}) AND {field}_id IS NOT NULL)"
    )


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for field in ("space", "equipment"):
        schema_editor.execute(_sql(field))


def remove_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in ("space", "equipment"):
        schema_editor.execute(
            f"ALTER TABLE reservations_reservation DROP CONSTRAINT IF EXISTS reservation_no_overlap_{field}"
        )


class Migration(migrations.Migration):
    dependencies = [("reservations", "0001_initial")]
    operations = [migrations.RunPython(add_constraints, remove_constraints)]
