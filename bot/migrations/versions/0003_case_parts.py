"""Who wrote which line of a case read from a thread, so `forget` can take a person's words out.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the parts themselves ({user, text} per line) ride with the case; the contributors table
    # finds a person's lines in other people's cases without reading every case
    op.add_column("cases", sa.Column("parts", sa.JSON, nullable=True))
    op.create_table(
        "case_contributors",
        sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.String(128), primary_key=True),
    )
    op.create_index("ix_case_contributors_user", "case_contributors", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_case_contributors_user", table_name="case_contributors")
    op.drop_table("case_contributors")
    op.drop_column("cases", "parts")
