"""The portal-monitor schema: its tables and the shared messaging tables."""

from sqlalchemy import MetaData

from minhbach.db.messaging_tables import add_messaging_tables

SCHEMA = "portal_monitor"
metadata = MetaData(schema=SCHEMA)
messaging = add_messaging_tables(metadata)
