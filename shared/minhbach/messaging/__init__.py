"""Reliable messaging over JetStream: streams, outbox and relay, idempotent inbox."""
