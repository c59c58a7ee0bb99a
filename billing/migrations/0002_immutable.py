"""What the ledger never changes, enforced by PostgreSQL itself (the admin, a shell or a bug cannot either):

- an issued invoice or credit note: a trigger refuses any UPDATE or DELETE of a document's row;
- a payment or refund: any UPDATE or DELETE is refused (a mistake is put right by a refund or another payment);
- a charge once it is on a document: an UPDATE or DELETE of a charge whose row names a document is refused (a
  pending charge, not yet issued, may still be split or dropped by the issuing service).
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION billing_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted (billing)', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION billing_issued_charge_fixed() RETURNS trigger AS $$
BEGIN
    IF OLD.document_id IS NOT NULL THEN
        RAISE EXCEPTION 'an issued charge is never changed or deleted (billing)' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_document_immutable BEFORE UPDATE OR DELETE ON billing_document
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_change();
CREATE TRIGGER billing_payment_immutable BEFORE UPDATE OR DELETE ON billing_payment
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_change();
CREATE TRIGGER billing_charge_issued_fixed BEFORE UPDATE OR DELETE ON billing_charge
    FOR EACH ROW EXECUTE FUNCTION billing_issued_charge_fixed();
"""

REVERSE = """
DROP TRIGGER IF EXISTS billing_document_immutable ON billing_document;
DROP TRIGGER IF EXISTS billing_payment_immutable ON billing_payment;
DROP TRIGGER IF EXISTS billing_charge_issued_fixed ON billing_charge;
DROP FUNCTION IF EXISTS billing_refuse_change();
DROP FUNCTION IF EXISTS billing_issued_charge_fixed();
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
