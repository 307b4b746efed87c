"""An AsyncAPI 3 document generated from the event catalogue (`minhbach asyncapi`)."""

from __future__ import annotations

from typing import Any

from minhbach.events.catalogue import EVENT_TYPES, stream_for


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for event in EVENT_TYPES:
        name = event.__name__
        schema = event.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
        channel_id = event.subject.replace(".", "_")
        channels[channel_id] = {
            "address": event.subject,
            "description": (event.__doc__ or "").strip(),
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {"nats": {"bindingVersion": "0.1.0"}},
            "x-jetstream-stream": stream_for(event.subject).name,
        }
        operations[f"publish_{channel_id}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "x-producer": event.subject.split(".", 1)[0],
        }
    messages = {
        event.__name__: {
            "name": event.__name__,
            "contentType": "application/json",
            "headers": {
                "type": "object",
                "properties": {"Nats-Msg-Id": {"type": "string", "description": "= event_id"}},
            },
            "payload": {"$ref": f"#/components/schemas/{event.__name__}"},
            "x-version": event.version,
        }
        for event in EVENT_TYPES
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Minh Bạch events",
            "version": "1.0.0",
            "description": "Facts the services exchange over NATS JetStream.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
