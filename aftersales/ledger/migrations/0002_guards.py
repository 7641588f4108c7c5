"""What the database itself holds to, whatever the code does: a transfer's two accounts are in
its currency; a post, void or expiry names a hold between the same accounts, for no more than it
(a void or expiry for exactly it); and a transfer is never changed — nor, on PostgreSQL, deleted.
(SQLite, the demo's database, still lets a row be deleted: the test suite empties its tables
with DELETE between tests, where PostgreSQL's uses TRUNCATE.)"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE FUNCTION ledger_transfer_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE held ledger_transfer%ROWTYPE;
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            RAISE EXCEPTION 'ledger transfers are append-only: a correction is a new transfer'
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF (SELECT currency FROM ledger_account WHERE id = NEW.debit_id) IS DISTINCT FROM NEW.currency
           OR (SELECT currency FROM ledger_account WHERE id = NEW.credit_id) IS DISTINCT FROM NEW.currency THEN
            RAISE EXCEPTION 'ledger transfer %: its accounts are not in %', NEW.key, NEW.currency
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.pending_id IS NOT NULL THEN
            SELECT * INTO held FROM ledger_transfer WHERE id = NEW.pending_id;
            IF held.kind IS DISTINCT FROM 'pending' OR held.debit_id <> NEW.debit_id
               OR held.credit_id <> NEW.credit_id OR held.currency <> NEW.currency
               OR NEW.amount > held.amount OR (NEW.kind <> 'post' AND NEW.amount <> held.amount) THEN
                RAISE EXCEPTION 'ledger transfer %: does not resolve its hold as a hold is resolved', NEW.key
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER ledger_transfer_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_transfer
    FOR EACH ROW EXECUTE FUNCTION ledger_transfer_guard()
    """,
]
POSTGRESQL_UNDO = ["DROP TRIGGER ledger_transfer_guard ON ledger_transfer",
                   "DROP FUNCTION ledger_transfer_guard()"]

SQLITE = [
    """
    CREATE TRIGGER ledger_transfer_currency BEFORE INSERT ON ledger_transfer
    WHEN (SELECT currency FROM ledger_account WHERE id = NEW.debit_id) IS NOT NEW.currency
      OR (SELECT currency FROM ledger_account WHERE id = NEW.credit_id) IS NOT NEW.currency
    BEGIN SELECT RAISE(ABORT, 'ledger transfer: its accounts are not in its currency'); END
    """,
    """
    CREATE TRIGGER ledger_transfer_resolution BEFORE INSERT ON ledger_transfer
    WHEN NEW.pending_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM ledger_transfer held WHERE held.id = NEW.pending_id AND held.kind = 'pending'
        AND held.debit_id = NEW.debit_id AND held.credit_id = NEW.credit_id
        AND held.currency = NEW.currency AND CAST(NEW.amount AS NUMERIC) <= CAST(held.amount AS NUMERIC)
        AND (NEW.kind = 'post' OR CAST(NEW.amount AS NUMERIC) = CAST(held.amount AS NUMERIC)))
    BEGIN SELECT RAISE(ABORT, 'ledger transfer: does not resolve its hold as a hold is resolved'); END
    """,
    """
    CREATE TRIGGER ledger_transfer_append_only BEFORE UPDATE ON ledger_transfer
    BEGIN SELECT RAISE(ABORT, 'ledger transfers are append-only: a correction is a new transfer'); END
    """,
]
SQLITE_UNDO = ["DROP TRIGGER ledger_transfer_currency", "DROP TRIGGER ledger_transfer_resolution",
               "DROP TRIGGER ledger_transfer_append_only"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)  # no placeholders: "%" is plpgsql's own
    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(_run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
                                       _run({"postgresql": POSTGRESQL_UNDO, "sqlite": SQLITE_UNDO}))]
