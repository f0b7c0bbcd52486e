"""Feedback on verdicts: a 👍/👎 stored with the case, who gave it and when.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE on both databases (SQLite 3.35+ drops columns too): no table copy, answers untouched
    op.add_column("cases", sa.Column("feedback", sa.String(8), nullable=True))
    op.add_column("cases", sa.Column("feedback_by", sa.String(128), nullable=True))
    op.add_column("cases", sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("cases", "feedback_at")
    op.drop_column("cases", "feedback_by")
    op.drop_column("cases", "feedback")
