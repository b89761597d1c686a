"""Settings from the environment, read once by the app factory."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from calendars.zones import DEFAULT_ZONE_NAME

ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret() -> str:
    """A per-checkout secret kept in var/, so restarts and sibling workers agree on it."""
    path = ROOT / "var" / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass
class Settings:
    database_url: str | None = None
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    redis_url: str | None = None
    secure_cookies: bool = False
    login_attempts_per_minute: int = 10
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_tls: bool = False
    mail_from: str = "noreply@parkbench.test"
    # Background jobs (expiry of pending holds, no-shows, outbox delivery) run in-process
    # unless switched off, e.g. in tests that drive them by hand.
    run_jobs: bool = True
    job_interval_seconds: float = 30.0
    debug: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def timezone(self) -> str:
        """The park's zone (``PARKBENCH_TIMEZONE``, else Asia/Shanghai): the zone of every
        platform, account and viewer that names none. Read once at start-up by
        ``calendars.zones``, since tables below the app use it as their default."""
        return DEFAULT_ZONE_NAME

    @classmethod
    def from_env(cls) -> Settings:
        secret = os.environ.get("PARKBENCH_SECRET_KEY") or _local_secret()
        return cls(
            database_url=os.environ.get("DATABASE_URL"),
            secret_key=secret,
            base_url=os.environ.get("PARKBENCH_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            redis_url=os.environ.get("REDIS_URL") or None,
            secure_cookies=_bool("PARKBENCH_SECURE_COOKIES", False),
            login_attempts_per_minute=int(os.environ.get("PARKBENCH_LOGIN_RATE", "10")),
            smtp_host=os.environ.get("SMTP_HOST") or None,
            smtp_port=int(os.environ.get("SMTP_PORT", "25")),
            smtp_username=os.environ.get("SMTP_USERNAME") or None,
            smtp_password=os.environ.get("SMTP_PASSWORD") or None,
            smtp_tls=_bool("SMTP_TLS", False),
            mail_from=os.environ.get("PARKBENCH_MAIL_FROM", "noreply@parkbench.test"),
            run_jobs=_bool("PARKBENCH_RUN_JOBS", True),
            job_interval_seconds=float(os.environ.get("PARKBENCH_JOB_INTERVAL", "30")),
            debug=_bool("PARKBENCH_DEBUG", False),
        )
