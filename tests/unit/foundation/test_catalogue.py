"""The event catalogue: every event has a stream, round-trips as JSON, and is in the AsyncAPI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from minhbach.cli import app
from minhbach.events.asyncapi import asyncapi_document
from minhbach.events.catalogue import EVENT_TYPES, STREAMS, stream_for

ARCHITECTURE_SUBJECTS = {
    "intake.report.submitted",
    "intake.evidence.submitted",
    "portal.document.found",
    "portal.document.changed",
    "portal.probe.finished",
    "scoring.indicator.changed",
    "scoring.obligation.changed",
    "notifier.notice.sent",
    "notifier.escalation.raised",
}


def test_catalogue_has_every_event_of_the_architecture() -> None:
    assert {e.subject for e in EVENT_TYPES} >= ARCHITECTURE_SUBJECTS


def test_every_subject_belongs_to_exactly_one_stream() -> None:
    for event in EVENT_TYPES:
        family = event.subject.split(".")[0]
        owners = [s for s in STREAMS if any(p.startswith(family + ".") for p in s.subjects)]
        assert [stream_for(event.subject)] == owners


def test_asyncapi_document_lists_every_channel_with_its_payload_schema() -> None:
    document = asyncapi_document()
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == {e.subject for e in EVENT_TYPES}
    for event in EVENT_TYPES:
        schema = document["components"]["schemas"][event.__name__]
        assert "event_id" in schema["properties"]
    # every $ref resolves inside the document
    text = json.dumps(document)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "#/')[1:]}:
        node = document
        for key in ref.split("/"):
            node = node[key]


def test_asyncapi_command_prints_the_document() -> None:
    result = CliRunner().invoke(app, ["asyncapi"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["asyncapi"] == "3.0.0"
