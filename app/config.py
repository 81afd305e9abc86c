"""All settings, read from the environment (prefix ``MATCHMAKER_``) in one place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("data") / "matchmaker.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHMAKER_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...",
    )
    secret_key: str = Field(
        default="demo-secret-change-me-0123456789abcdef",
        description="Signs organiser tokens. Must be changed outside demo mode.",
    )
    demo_mode: bool = True
    public_url: str = "http://127.0.0.1:8000"
    organiser_token_minutes: int = 12 * 60
    max_import_bytes: int = 50 * 1024 * 1024
    max_import_rows: int = 50_000
    suggestions_per_participant: int = 30
    job_workers: int = 1
    log_level: str = "INFO"
    sql_echo: bool = False


@lru_cache
def get_settings() -> Settings:
    return Settings()
