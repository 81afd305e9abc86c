from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class TokenResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcmc6NyJ9.c2lnbmF0dXJl",
                    "token_type": "bearer",
                    "expires_in": 28800,
                }
            ]
        }
    )

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires")


class OrganiserRead(BaseModel):
    id: int
    email: EmailStr
    name: str


class Me(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "role": "organiser",
                    "organiser": {"id": 7, "email": "events@clujit.ro", "name": "Andreea Mureșan"},
                },
                {"role": "participant", "participant_id": 42, "event_id": 3},
            ]
        }
    )

    role: str = Field(description="organiser or participant")
    organiser: OrganiserRead | None = None
    participant_id: int | None = None
    event_id: int | None = None


class LoginForm(BaseModel):
    """The OAuth2 password form (RFC 6749 §4.3), with every field bounded."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"grant_type": "password", "username": "events@clujit.ro", "password": "correct-horse-battery"}
            ]
        }
    )

    grant_type: str | None = Field(default=None, pattern="^password$", max_length=8)
    username: str = Field(max_length=320, description="The organiser's email")
    password: str = Field(max_length=200, json_schema_extra={"format": "password"})
    scope: str = Field(default="", max_length=200)
    client_id: str | None = Field(default=None, max_length=200)
    client_secret: str | None = Field(default=None, max_length=200, json_schema_extra={"format": "password"})
