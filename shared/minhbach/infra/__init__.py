"""Embedded NATS and PostgreSQL for `make run` and `make test` when no real ones are configured."""
