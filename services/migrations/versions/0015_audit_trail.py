"""a complete, hash-chained, append-only audit trail: reads of aggressor details and register
lookups move from incident_reads and air_lookups into audit_log; admin_changes is chained
too; on PostgreSQL a trigger refuses to change or remove a row of either

Revision ID: 0015
Revises: 0014

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.db
from services.audit.chain import GENESIS, PURGE_SETTING, digest

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHAINED = ("audit_log", "audit_anchors", "admin_changes")

# Append-only in the database itself: an UPDATE or DELETE of an audit row is refused, also
# for someone with the application's own credentials. Only the retention sweep deletes, from
# the oldest end, in a transaction that says so (SET LOCAL veldwacht.purge = 'on').
APPEND_ONLY = f"""
CREATE FUNCTION veldwacht_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_log'
       AND current_setting('{PURGE_SETTING}', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def _log_table() -> sa.Table:
    return sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", services.db.UTCDateTime()),
        sa.column("actor_id", sa.Integer),
        sa.column("act", sa.String),
        sa.column("subject", sa.String),
        sa.column("subject_id", sa.Integer),
        sa.column("purpose", sa.String),
        sa.column("shown", sa.JSON),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )


def _earlier_reads(bind) -> list[dict]:
    """incident_reads and air_lookups as audit rows, in the order they happened."""
    reads = sa.table(
        "incident_reads",
        sa.column("id", sa.Integer),
        sa.column("incident_id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("at", services.db.UTCDateTime()),
        sa.column("purpose", sa.String),
    )
    lookups = sa.table(
        "air_lookups",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("at", services.db.UTCDateTime()),
        sa.column("query", sa.JSON),
        sa.column("matched_ids", sa.JSON),
        sa.column("purpose", sa.String),
    )
    rows = [
        {
            "at": r.at,
            "actor_id": r.user_id,
            "act": "export" if r.purpose == "export" else "read",
            "subject": "incident",
            "subject_id": r.incident_id,
            "purpose": r.purpose,
            "shown": {},  # what a read showed was not kept before the trail
        }
        for r in bind.execute(sa.select(reads).order_by(reads.c.id))
    ]
    rows += [
        {
            "at": r.at,
            "actor_id": r.user_id,
            "act": "read" if r.purpose == "register bekeken" else "lookup",
            "subject": "air",
            "subject_id": None,
            "purpose": r.purpose,
            "shown": {"query": r.query, "matched_ids": r.matched_ids}
            if r.query
            else {"entries": []},
        }
        for r in bind.execute(sa.select(lookups).order_by(lookups.c.id))
    ]
    return sorted(rows, key=lambda r: r["at"])


def _chain(rows: list[dict]) -> list[dict]:
    prev = GENESIS
    for row in rows:
        row["prev_hash"], row["hash"] = prev, digest(prev, row)
        prev = row["hash"]
    return rows


def _chain_admin_changes(bind) -> None:
    changes = sa.table(
        "admin_changes",
        sa.column("id", sa.Integer),
        sa.column("at", services.db.UTCDateTime()),
        sa.column("actor_id", sa.Integer),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("label", sa.String),
        sa.column("action", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("via", sa.String),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    rows = [dict(r._mapping) for r in bind.execute(sa.select(changes).order_by(changes.c.id))]
    for row in _chain(rows):
        bind.execute(
            changes.update()
            .where(changes.c.id == row["id"])
            .values(prev_hash=row["prev_hash"], hash=row["hash"])
        )


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", services.db.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("act", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=100), nullable=False),
        sa.Column("shown", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_log_subject", ["subject", "subject_id"], unique=False)
        batch_op.create_index("ix_audit_log_actor_at", ["actor_id", "at"], unique=False)
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", services.db.UTCDateTime(), nullable=False),
        sa.Column("chain", sa.String(length=30), nullable=False),
        sa.Column("through_id", sa.Integer(), nullable=False),
        sa.Column("through_hash", sa.String(length=64), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchors")),
    )
    bind = op.get_bind()
    op.bulk_insert(_log_table(), _chain(_earlier_reads(bind)))
    with op.batch_alter_table("admin_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_admin_changes(bind)
    with op.batch_alter_table("admin_changes", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("incident_reads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_reads_incident_id"))
    op.drop_table("incident_reads")
    with op.batch_alter_table("air_lookups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_air_lookups_user_id"))
    op.drop_table("air_lookups")
    if bind.dialect.name == "postgresql":
        op.execute(APPEND_ONLY)
        for table in CHAINED:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION veldwacht_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION veldwacht_append_only()"
            )


def downgrade() -> None:
    """Back to the two read logs, empty: what they would hold is in audit_log, which goes."""
    if op.get_bind().dialect.name == "postgresql":
        for table in CHAINED:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION veldwacht_append_only()")
    op.create_table(
        "air_lookups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", services.db.UTCDateTime(), nullable=False),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("matched_ids", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_air_lookups_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_air_lookups")),
    )
    with op.batch_alter_table("air_lookups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_air_lookups_user_id"), ["user_id"], unique=False)
    op.create_table(
        "incident_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", services.db.UTCDateTime(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_reads_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_incident_reads_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_reads")),
    )
    with op.batch_alter_table("incident_reads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_reads_incident_id"), ["incident_id"], unique=False
        )
    with op.batch_alter_table("admin_changes", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    op.drop_table("audit_anchors")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_actor_at")
        batch_op.drop_index("ix_audit_log_subject")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")
