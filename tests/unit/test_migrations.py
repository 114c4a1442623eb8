"""Migrations build the whole schema on an empty database and match the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from neobank_dashboard.db import get_engine
from neobank_dashboard.db.models import on_dialect

EXPECTED_TABLES = {
    "advisor",
    "authsession",
    "client",
    "score",
    "decision",
    "auditevent",
    "apiclient",
    "retentionpolicy",
    "review",
    "contest",
}


def test_migrations_create_every_table(db_url):
    tables = set(sa.inspect(get_engine(db_url)).get_table_names())
    assert EXPECTED_TABLES <= tables


def test_models_and_migrations_do_not_drift(db_url):
    with get_engine(db_url).connect() as connection:
        opts = {"compare_type": False, "include_object": on_dialect(connection.dialect.name)}
        context = MigrationContext.configure(connection, opts=opts)
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models changed without a migration (reflex db makemigrations): {diff}"


def test_client_list_columns_are_indexed(db_url):
    indexed = {
        column
        for index in sa.inspect(get_engine(db_url)).get_indexes("client")
        for column in index["column_names"]
    }
    for column in (
        "advisor_id",
        "status",
        "latest_probability",
        "latest_recommendation",
        "latest_risk_band",
        "age",
        "income",
        "payment_incidents",
        "oldest_as_of",
    ):
        assert column in indexed, column
