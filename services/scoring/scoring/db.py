"""The scoring schema: its tables and the shared messaging tables."""

from sqlalchemy import MetaData

from minhbach.db.messaging_tables import add_messaging_tables

SCHEMA = "scoring"
metadata = MetaData(schema=SCHEMA)
messaging = add_messaging_tables(metadata)
