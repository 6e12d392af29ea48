"""Engagements and their screenings; screenings are append-only, enforced by the database.

Revision ID: 0002_engagements
Revises: 0001_accounts
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_engagements"
down_revision = "0001_accounts"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER screening_no_update BEFORE UPDATE ON screening
       BEGIN SELECT RAISE(ABORT, 'screening rows are append-only'); END""",
    """CREATE TRIGGER screening_no_delete BEFORE DELETE ON screening
       BEGIN SELECT RAISE(ABORT, 'screening rows are append-only'); END""",
]
_POSTGRES_TRIGGERS = [
    """CREATE FUNCTION screening_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'screening rows are append-only'; END $$""",
    """CREATE TRIGGER screening_no_change BEFORE UPDATE OR DELETE ON screening
       FOR EACH ROW EXECUTE FUNCTION screening_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "engagement",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisation.id"), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("title", sa.String(500), nullable=True),
        sa.Column("partner_name", sa.String(500), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("input", sa.JSON, nullable=False),
        sa.Column("tier", sa.String(20), nullable=True),
        sa.Column("review_date", sa.Date, nullable=True),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("submitted_at", TS, nullable=True),
        sa.UniqueConstraint("organisation_id", "reference"),
    )
    op.create_index("ix_engagement_org_updated", "engagement", ["organisation_id", "updated_at"])
    op.create_table(
        "screening",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("engagement_id", sa.Integer, sa.ForeignKey("engagement.id"), nullable=False),
        sa.Column("input_hash", sa.String(64), nullable=False),
        sa.Column("input", sa.JSON, nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("rule_pack_name", sa.String(200), nullable=False),
        sa.Column("rule_pack_version", sa.String(100), nullable=False),
        sa.Column("rule_pack_hash", sa.String(100), nullable=False),
        sa.Column("taxonomies_version", sa.String(100), nullable=False),
        sa.Column("taxonomies_hash", sa.String(100), nullable=False),
        sa.Column("watchlists_version", sa.String(100), nullable=False),
        sa.Column("watchlists_hash", sa.String(100), nullable=False),
        sa.Column("tool_version", sa.String(50), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("screened_by_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("screened_at", TS, nullable=False),
        sa.Column("finding_count", sa.Integer, nullable=False),
        sa.Column("notes", sa.Text, nullable=True),
    )
    op.create_index("ix_screening_engagement_id", "screening", ["engagement_id"])
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGERS}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER screening_no_change ON screening")
        op.execute("DROP FUNCTION screening_append_only()")
    op.drop_table("screening")
    op.drop_table("engagement")
