"""Alembic environment: runs on the connection that ``db.migrate`` hands over."""

from __future__ import annotations

from alembic import context

from coopgraph.db.models import Base
from coopgraph.db.search_index import is_modelled

connection = context.config.attributes.get("connection")
if connection is None:
    msg = "run migrations through db.migrate.upgrade_to_head, which supplies a connection"
    raise RuntimeError(msg)

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_name=lambda name, _type, _parent: is_modelled(name),
)
with context.begin_transaction():
    context.run_migrations()
