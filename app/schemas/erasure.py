"""The answer to a GDPR erasure (``POST …/participants/{id}/erase``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import Actor


class ErasureRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant_id": 42,
                    "erased_at": "2025-07-15T10:00:00+03:00",
                    "erased_by": "organiser",
                    "meetings_cancelled": 2,
                    "requests_withdrawn": 1,
                    "partners_notified": 3,
                    "kept": ["Meetings already held, without the name: attendance statistics"],
                }
            ]
        }
    )

    participant_id: int = Field(description="The id stays, as a tombstone without personal data")
    erased_at: datetime
    erased_by: Actor
    meetings_cancelled: int = Field(description="Meetings not yet held, cancelled with reason participant_left")
    requests_withdrawn: int = Field(description="Pending meeting requests from or to them, now cancelled")
    partners_notified: int = Field(description="Participants told that a meeting or request with them is off")
    kept: list[str] = Field(description="What stays, and why")
