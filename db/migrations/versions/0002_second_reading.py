"""second reading: inferred identifications, curated names, qualified categories, field basis

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_basis', sa.String(length=200), nullable=True))
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inferred_basis', sa.Text(), nullable=True))
    with op.batch_alter_table('priority_institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qualified_by', sa.JSON(), nullable=True))
    op.create_table('institution_names',
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('STANDARD_NAME', 'SHORT_FORM', 'TRANSLATION', name='institution_name_kind', native_enum=False, length=20), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_institution_names_institution_id_institutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('institution_id', 'name', name=op.f('pk_institution_names'))
    )


def downgrade() -> None:
    op.drop_table('institution_names')
    with op.batch_alter_table('priority_institutions', schema=None) as batch_op:
        batch_op.drop_column('qualified_by')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('inferred_basis')
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('field_basis')
