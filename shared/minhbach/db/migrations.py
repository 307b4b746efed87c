"""Alembic, once for all services: each service keeps its revisions in `<package>/migrations/`
and its version table in its own schema. A service's `env.py` is two lines calling `run_env`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from minhbach.db.messaging_tables import add_messaging_tables
from minhbach.db.session import async_url
from minhbach.services import SERVICES


def alembic_config(package: str, schema: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.attributes["database_url"] = database_url
    config.attributes["schema"] = schema
    return config


def upgrade(package: str, schema: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(package, schema, database_url), revision)


def migrate_all(database_url: str) -> None:
    """Every service's schema to its newest revision (`minhbach db migrate`, tests, `make run`)."""
    for spec in SERVICES:
        upgrade(spec.package, spec.schema, database_url)


def run_env(metadata: MetaData) -> None:
    """Body of every service's `migrations/env.py` (online mode only: we always have a database)."""
    schema: str = context.config.attributes["schema"]
    url: str = context.config.attributes["database_url"]

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        return type_ != "table" or getattr(obj, "schema", None) == schema

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(async_url(url), poolclass=NullPool)
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        async with engine.connect() as conn:
            await conn.run_sync(migrate)
            await conn.commit()
        await engine.dispose()

    asyncio.run(run())


def create_messaging_tables(schema: str) -> None:
    """Migration step shared by every service's first revision: outbox, inbox, dead letters."""
    metadata = MetaData(schema=schema)
    add_messaging_tables(metadata)
    metadata.create_all(context.get_bind())


def drop_messaging_tables(schema: str) -> None:
    metadata = MetaData(schema=schema)
    add_messaging_tables(metadata)
    metadata.drop_all(context.get_bind())
