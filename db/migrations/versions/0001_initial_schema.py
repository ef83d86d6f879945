"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 01:52:42.019882
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('continents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_continents')),
    sa.UniqueConstraint('key', name=op.f('uq_continents_key')),
    sa.UniqueConstraint('name', name=op.f('uq_continents_name')),
    sa.UniqueConstraint('position', name=op.f('uq_continents_position'))
    )
    op.create_table('editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('source_name', sa.String(length=300), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_editions')),
    sa.UniqueConstraint('year', name=op.f('uq_editions_year'))
    )
    op.create_table('fields',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=160), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fields')),
    sa.UniqueConstraint('key', name=op.f('uq_fields_key')),
    sa.UniqueConstraint('name', name=op.f('uq_fields_name')),
    sa.UniqueConstraint('position', name=op.f('uq_fields_position'))
    )
    op.create_table('relation_statistics',
    sa.Column('relation', sa.String(length=80), nullable=False),
    sa.Column('parents', sa.Integer(), nullable=False),
    sa.Column('links', sa.Integer(), nullable=False),
    sa.Column('max_fanout', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('relation', name=op.f('pk_relation_statistics'))
    )
    op.create_table('search_terms',
    sa.Column('entity_type', sa.String(length=20), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('normalized', sa.String(length=300), nullable=False),
    sa.Column('term', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('entity_type', 'entity_id', 'normalized', name=op.f('pk_search_terms'))
    )
    with op.batch_alter_table('search_terms', schema=None) as batch_op:
        batch_op.create_index('ix_search_terms_normalized', ['normalized'], unique=False)

    op.create_table('countries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=8), nullable=False),
    sa.Column('iso_code', sa.String(length=8), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('continent_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['continent_id'], ['continents.id'], name=op.f('fk_countries_continent_id_continents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_countries')),
    sa.UniqueConstraint('iso_code', name=op.f('uq_countries_iso_code')),
    sa.UniqueConstraint('key', name=op.f('uq_countries_key')),
    sa.UniqueConstraint('name', name=op.f('uq_countries_name')),
    sa.UniqueConstraint('position', name=op.f('uq_countries_position'))
    )
    with op.batch_alter_table('countries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_countries_continent_id'), ['continent_id'], unique=False)

    op.create_table('directions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=160), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['field_id'], ['fields.id'], name=op.f('fk_directions_field_id_fields')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directions')),
    sa.UniqueConstraint('field_id', 'name', name=op.f('uq_directions_field_id')),
    sa.UniqueConstraint('key', name=op.f('uq_directions_key')),
    sa.UniqueConstraint('position', name=op.f('uq_directions_position'))
    )
    with op.batch_alter_table('directions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directions_field_id'), ['field_id'], unique=False)

    op.create_table('institutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('country_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('acronym', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.Enum('ORGANIZATION', 'GROUP', 'CATEGORY', name='institution_kind', native_enum=False, length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['country_id'], ['countries.id'], name=op.f('fk_institutions_country_id_countries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institutions')),
    sa.UniqueConstraint('country_id', 'name', name=op.f('uq_institutions_country_id')),
    sa.UniqueConstraint('key', name=op.f('uq_institutions_key')),
    sa.UniqueConstraint('position', name=op.f('uq_institutions_position'))
    )
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institutions_country_id'), ['country_id'], unique=False)

    op.create_table('priorities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('country_id', sa.Integer(), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_line', sa.Integer(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('directions_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['country_id'], ['countries.id'], name=op.f('fk_priorities_country_id_countries')),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_priorities_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['field_id'], ['fields.id'], name=op.f('fk_priorities_field_id_fields')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priorities')),
    sa.UniqueConstraint('edition_id', 'source_line', name=op.f('uq_priorities_edition_id')),
    sa.UniqueConstraint('key', name=op.f('uq_priorities_key'))
    )
    with op.batch_alter_table('priorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priorities_country_id'), ['country_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_priorities_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_priorities_field_id'), ['field_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_priorities_position'), ['position'], unique=False)

    op.create_table('priority_directions',
    sa.Column('priority_id', sa.Integer(), nullable=False),
    sa.Column('direction_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['direction_id'], ['directions.id'], name=op.f('fk_priority_directions_direction_id_directions')),
    sa.ForeignKeyConstraint(['priority_id'], ['priorities.id'], name=op.f('fk_priority_directions_priority_id_priorities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('priority_id', 'direction_id', name=op.f('pk_priority_directions'))
    )
    with op.batch_alter_table('priority_directions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_directions_direction_id'), ['direction_id'], unique=False)

    op.create_table('priority_institutions',
    sa.Column('priority_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('mention', sa.String(length=200), nullable=False),
    sa.Column('and_others', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_priority_institutions_institution_id_institutions')),
    sa.ForeignKeyConstraint(['priority_id'], ['priorities.id'], name=op.f('fk_priority_institutions_priority_id_priorities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('priority_id', 'institution_id', name=op.f('pk_priority_institutions'))
    )
    with op.batch_alter_table('priority_institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_institutions_institution_id'), ['institution_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('priority_institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_institutions_institution_id'))

    op.drop_table('priority_institutions')
    with op.batch_alter_table('priority_directions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_directions_direction_id'))

    op.drop_table('priority_directions')
    with op.batch_alter_table('priorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priorities_position'))
        batch_op.drop_index(batch_op.f('ix_priorities_field_id'))
        batch_op.drop_index(batch_op.f('ix_priorities_edition_id'))
        batch_op.drop_index(batch_op.f('ix_priorities_country_id'))

    op.drop_table('priorities')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institutions_country_id'))

    op.drop_table('institutions')
    with op.batch_alter_table('directions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directions_field_id'))

    op.drop_table('directions')
    with op.batch_alter_table('countries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_countries_continent_id'))

    op.drop_table('countries')
    with op.batch_alter_table('search_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_search_terms_normalized')

    op.drop_table('search_terms')
    op.drop_table('relation_statistics')
    op.drop_table('fields')
    op.drop_table('editions')
    op.drop_table('continents')
