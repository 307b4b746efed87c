"""The envelope every event shares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field


class Event(BaseModel):
    """A fact one service tells the others. JSON on the wire; `event_id` doubles as `Nats-Msg-Id`.

    Subclasses set `subject` and `version`. A change that breaks readers gets a new version
    (and a new class); adding an optional field does not.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    subject: ClassVar[str]
    version: ClassVar[int] = 1

    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    schema_version: int = 1

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()
