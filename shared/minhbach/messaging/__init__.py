"""Reliable messaging over JetStream: streams, the transactional outbox and relay, the idempotent inbox."""
