"""Two guarantees PostgreSQL keeps for fair allocation (spelled out here, as reservations' 0002 does):

- one open offer per slot: no two waiting-list offers of one resource overlap while offered (btree_gist exclusion);
- a draw is never changed: a trigger refuses any UPDATE or DELETE of a draw's row;
- a window's seed and its published hash are never changed: a trigger refuses an UPDATE that touches them.
"""

from django.db import migrations

OFFERS = (
    "ALTER TABLE allocation_slotwait ADD CONSTRAINT wait_one_offer_per_{field} "
    "EXCLUDE USING gist (tstzrange(start_at, end_at, '[)') WITH &&, {field}_id WITH =) "
    "WHERE (status = 'offered' AND {field}_id IS NOT NULL)"
)
TRIGGER = """
CREATE OR REPLACE FUNCTION allocation_draw_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a lottery draw is never changed' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER allocation_draw_immutable BEFORE UPDATE OR DELETE ON allocation_draw
    FOR EACH ROW EXECUTE FUNCTION allocation_draw_immutable();
CREATE OR REPLACE FUNCTION allocation_seed_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a lottery window keeps the seed it was declared with' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER allocation_seed_fixed BEFORE UPDATE ON allocation_lotterywindow
    FOR EACH ROW WHEN (OLD.seed IS DISTINCT FROM NEW.seed OR OLD.seed_hash IS DISTINCT FROM NEW.seed_hash)
    EXECUTE FUNCTION allocation_seed_fixed();
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for field in ("space", "equipment"):
        schema_editor.execute(OFFERS.format(field=field))
    schema_editor.execute(TRIGGER)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in ("space", "equipment"):
        schema_editor.execute(f"ALTER TABLE allocation_slotwait DROP CONSTRAINT IF EXISTS wait_one_offer_per_{field}")
    schema_editor.execute("DROP TRIGGER IF EXISTS allocation_draw_immutable ON allocation_draw")
    schema_editor.execute("DROP FUNCTION IF EXISTS allocation_draw_immutable()")
    schema_editor.execute("DROP TRIGGER IF EXISTS allocation_seed_fixed ON allocation_lotterywindow")
    schema_editor.execute("DROP FUNCTION IF EXISTS allocation_seed_fixed()")


class Migration(migrations.Migration):
    dependencies = [("allocation", "0001_fair_allocation")]

    operations = [migrations.RunPython(add, remove)]
