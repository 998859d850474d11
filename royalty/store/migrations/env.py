"""Alembic's entry: runs the migrations on the connection ``royalty.store.schema`` hands it,
inside that caller's one transaction (an upgrade is all or nothing)."""

from alembic import context
from sqlmodel import SQLModel

from royalty.store import models  # noqa: F401  (registers the tables)
from royalty.store.schema import exists_on

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    transactional_ddl=True,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=exists_on(connection.dialect.name),
)
with context.begin_transaction():  # within the caller's transaction, which commits
    context.run_migrations()
