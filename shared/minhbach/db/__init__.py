"""Database access: async engine and sessions, per-service schemas, messaging tables, migrations."""
