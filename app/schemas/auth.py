from __future__ import annotations

from pydantic import BaseModel, EmailStr, Field


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires")


class OrganiserRead(BaseModel):
    id: int
    email: EmailStr
    name: str


class Me(BaseModel):
    role: str = Field(description="organiser or participant")
    organiser: OrganiserRead | None = None
    participant_id: int | None = None
    event_id: int | None = None
