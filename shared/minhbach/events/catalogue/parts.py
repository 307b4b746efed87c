"""The base of an event's nested parts: frozen, and tolerant of fields a newer producer adds."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
