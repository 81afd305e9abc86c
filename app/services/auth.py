"""Organiser accounts and log-in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.errors import Conflict, Unauthorized
from app.models import Organiser
from app.security import hash_password, verify_password

# Verifying against a fixed hash when the email is unknown keeps timing the same.
_DUMMY_HASH = hash_password("not-a-real-password")


async def create_organiser(session: AsyncSession, email: str, password: str, name: str = "") -> Organiser:
    email = email.strip().lower()
    if await session.scalar(select(col(Organiser.id)).where(col(Organiser.email) == email)) is not None:
        raise Conflict(f"An organiser with email {email} exists already.")
    organiser = Organiser(email=email, name=name, password_hash=hash_password(password))
    session.add(organiser)
    await session.flush()
    return organiser


async def authenticate(session: AsyncSession, email: str, password: str) -> Organiser:
    organiser = await session.scalar(select(Organiser).where(col(Organiser.email) == email.strip().lower()))
    if organiser is None:
        verify_password(password, _DUMMY_HASH)
        raise Unauthorized("Wrong email or password.")
    if not verify_password(password, organiser.password_hash):
        raise Unauthorized("Wrong email or password.")
    return organiser
