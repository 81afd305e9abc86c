"""Organiser accounts and log-in."""

from __future__ import annotations

import anyio.to_thread
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
    hashed = await anyio.to_thread.run_sync(hash_password, password)
    organiser = Organiser(email=email, name=name, password_hash=hashed)
    session.add(organiser)
    await session.flush()
    return organiser


async def authenticate(session: AsyncSession, email: str, password: str) -> Organiser:
    organiser = await session.scalar(select(Organiser).where(col(Organiser.email) == email.strip().lower()))
    # argon2 takes ~0.1-0.3 s of CPU on purpose: keep it off the event loop
    hashed = organiser.password_hash if organiser is not None else _DUMMY_HASH
    valid = await anyio.to_thread.run_sync(verify_password, password, hashed)
    if organiser is None or not valid:
        raise Unauthorized("Wrong email or password.")
    return organiser
