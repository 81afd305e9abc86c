"""Password hashing, organiser tokens (JWT) and participant tokens (random, stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

PARTICIPANT_TOKEN_PREFIX = "mmp_"
_JWT_ALGORITHM = "HS256"
_password_hash = PasswordHash.recommended()  # argon2id


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return _password_hash.verify(password, hashed)


def create_organiser_token(organiser_id: int, secret: str, minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(organiser_id), "role": "organiser", "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm=_JWT_ALGORITHM)


def decode_organiser_token(token: str, secret: str) -> int | None:
    """The organiser id in a valid, unexpired token; None otherwise."""
    try:
        claims = jwt.decode(token, secret, algorithms=[_JWT_ALGORITHM])
    except jwt.PyJWTError:
        return None
    if claims.get("role") != "organiser":
        return None
    try:
        return int(claims["sub"])
    except (KeyError, ValueError):
        return None


def new_participant_token() -> str:
    """A 256-bit random bearer token. High entropy, so a plain SHA-256 at rest suffices."""
    return PARTICIPANT_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_participant_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
