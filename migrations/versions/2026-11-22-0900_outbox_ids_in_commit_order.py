"""outbox ids in commit order, numbered inside COMMIT (PostgreSQL)

The outbox (``notification``) is read by id (``id > last seen``), so ids must become visible in
increasing order. A sequence hands ids out in insert order, not in commit order. Until now the app
took a transaction-scoped advisory lock before inserting the rows, which held the lock across two
client round trips (the insert, then ``COMMIT``): under load about 19 writers at a time queued on it.

Now a deferred constraint trigger does it at ``COMMIT``: it takes the same advisory lock and gives
each new row a fresh id from the sequence. The lock is held from the first renumbered row to the end
of the commit, inside the server, with no client round trip in between. Rows of one transaction keep
their order (row triggers fire in insert order). SQLite has one writer at a time: nothing to do.
A transaction that writes rows with their final ids (a restore, with the deliveries that reference
them) sets `matchmaker.keep_outbox_ids` to 'on' (SET LOCAL) and is left alone.
Cost: one indexed UPDATE a row at COMMIT; a schedule published to 5,000 participants (5,000 rows in
one transaction) measured 0.4 s of renumbering, under the lock; an answered request, one row.

Revision ID: c2f0a7d91e35
Revises: 8e94b5243a7e
Create Date: 2026-11-22 09:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c2f0a7d91e35"
down_revision: str | None = "8e94b5243a7e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the advisory lock key app/notify.py used before this migration (any fixed 64-bit number): written out
# here, as a migration must not change when the app does
OUTBOX_LOCK = 0x6D6D_6F75_7462_6F78
# app.notify.KEEP_OUTBOX_IDS: a transaction that sets it (SET LOCAL ... = 'on') writes rows whose ids are
# already final, e.g. a restore that also writes their deliveries, which reference those ids
KEEP_IDS = 'matchmaker.keep_outbox_ids'


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION notification_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('{KEEP_IDS}', true) = 'on' THEN
                RETURN NULL;  -- rows restored with their own ids (a backup), not new ones
            END IF;
            PERFORM pg_advisory_xact_lock({OUTBOX_LOCK});
            UPDATE notification SET id = nextval(pg_get_serial_sequence('notification', 'id'))
            WHERE id = NEW.id;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE CONSTRAINT TRIGGER notification_commit_order AFTER INSERT ON notification
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION notification_commit_order()
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER notification_commit_order ON notification")
    op.execute("DROP FUNCTION notification_commit_order()")
