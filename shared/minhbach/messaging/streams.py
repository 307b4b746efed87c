"""JetStream streams, declared from the event catalogue."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import BadRequestError

from minhbach.events.catalogue import STREAMS, StreamSpec


def stream_config(
    spec: StreamSpec, duplicate_window_seconds: float, replicas: int = 1
) -> StreamConfig:
    return StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        description=spec.description,
        storage=StorageType.FILE,
        duplicate_window=duplicate_window_seconds,
        num_replicas=replicas,
    )


async def declare_streams(
    js: JetStreamContext, duplicate_window_seconds: float, replicas: int = 1
) -> None:
    """Create or update every stream; safe to run from every replica at every start.

    Raising `replicas` later (one server grown into a cluster) updates the streams in place.
    """
    for spec in STREAMS:
        config = stream_config(spec, duplicate_window_seconds, replicas)
        try:
            await js.add_stream(config)
        except BadRequestError:
            await js.update_stream(config)
