"""All settings, read from the environment (prefix ``MATCHMAKER_``) in one place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("data") / "matchmaker.db"
DEMO_SECRET = "demo-secret-change-me-0123456789abcdef"
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHMAKER_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...",
    )
    secret_key: str = Field(
        default=DEMO_SECRET,
        description="Signs organiser tokens. Outside demo mode it must be set (32+ characters).",
    )
    demo_mode: bool = Field(default=True, description="Allows the built-in demo secret; turn off in production")
    public_url: str = "http://127.0.0.1:8000"
    organiser_token_minutes: int = 12 * 60
    max_import_bytes: int = 50 * 1024 * 1024
    max_import_rows: int = 50_000
    suggestions_per_participant: int = 30
    job_workers: int = 1
    log_level: str = "INFO"
    log_json: bool = Field(default=False, description="One JSON object per log line (production); plain text otherwise")
    sql_echo: bool = False

    # Jobs: in-process on the embedded default; through Redis to `matchmaker worker` processes when set.
    redis_url: str | None = Field(default=None, description="redis://host:6379/0 — enables the job queue")
    job_queue: str = Field(default="matchmaker", description="Queue name in Redis")
    job_stale_seconds: float = Field(
        default=60.0, gt=0, description="A running job whose heartbeat is older than this is retried or failed"
    )
    job_max_attempts: int = Field(default=2, ge=1, description="Runs of one job before a dead worker fails it")
    job_timeout_seconds: float = Field(default=3600.0, gt=0, description="A job running longer than this fails")

    # Front-end and browser safety.
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed to call the API")
    login_rate_limit: str = Field(default="10/minute", description="Login attempts per client address and user")

    # Operations: GET /metrics answers loopback callers, organisers, and holders of this token.
    metrics_token: str | None = Field(default=None, description="Bearer token that may read /metrics from anywhere")

    # Email: off unless an SMTP host is set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    mail_from: str = "Matchmaker <matchmaker@localhost>"
    smtp_timeout_seconds: float = 30.0

    # Live updates (SSE), webhooks and mail: one outbox, consumed in every API process.
    live_poll_seconds: float = Field(default=1.0, description="How often each process reads new outbox rows")
    live_keepalive_seconds: float = Field(default=15.0, description="Idle SSE streams get a comment this often")
    stream_ticket_seconds: int = Field(default=300, description="Lifetime of a ?access_token= stream ticket")
    dispatch_enabled: bool = Field(default=True, description="Run the webhook and mail sender in this process")
    dispatch_poll_seconds: float = 2.0
    delivery_max_attempts: int = Field(default=8, description="Webhook/mail attempts before a delivery is failed")
    delivery_retry_seconds: float = Field(default=30.0, description="First retry delay; doubles each attempt")
    delivery_lease_seconds: float = Field(default=120.0, description="A claimed delivery is retried after this")
    webhook_timeout_seconds: float = 10.0
    webhook_allow_private: bool = Field(
        default=False,
        description="Let webhooks call private, loopback and link-local addresses and names such as localhost "
        "(refused by default, at registration and before every delivery, so an organiser cannot make the server "
        "call its own network: databases, Redis, cloud metadata). Turn on only on a self-hosted server whose "
        "organisers are trusted and whose receivers live on its private network.",
    )
    notification_retention_days: float = Field(default=30.0, description="Outbox rows (and their log) kept this long")


def check_secret(settings: Settings) -> None:
    """Refuse to run outside demo mode with the public demo secret or a short one."""
    if settings.demo_mode:
        return
    if settings.secret_key == DEMO_SECRET or len(settings.secret_key) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            "MATCHMAKER_SECRET_KEY must be set to a random string of at least "
            f"{MIN_SECRET_LENGTH} characters when MATCHMAKER_DEMO_MODE is false"
        )


@lru_cache
def get_settings() -> Settings:
    return Settings()
