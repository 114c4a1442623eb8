"""Alembic environment: the project's tables, the project's database URL.

`neobank_dashboard.db.migrate` passes an open connection; the alembic command
line falls back to the URL from the settings.
"""

from sqlmodel import SQLModel

import neobank_dashboard.db  # noqa: F401  (registers every table, monitoring ones included)
from alembic import context
from neobank_dashboard.db.engine import get_engine
from neobank_dashboard.db.models import on_dialect

config = context.config
target_metadata = SQLModel.metadata


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=on_dialect(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    with get_engine().begin() as connection:
        run_migrations(connection)
