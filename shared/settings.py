"""Settings from environment variables, read in one place.

Every variable is documented in README.md ("Settings"). A service may add its own
settings class that inherits `CommonSettings`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
# COUNTY_LOCAL_DIR moves the local state elsewhere (bench/first_run.py starts a fresh one).
LOCAL_DIR = Path(os.environ.get("COUNTY_LOCAL_DIR") or REPO_ROOT / ".local")

DEV_SECRET = "dev-only-not-a-secret"


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/county"
    database_pool_size: int = 10
    redis_url: str = "redis://127.0.0.1:6379/0"
    meili_url: str = "http://127.0.0.1:7700"
    meili_master_key: str = DEV_SECRET
    meili_index_prefix: str = ""
    stripe_api_key: str = "sk_test_local"
    stripe_api_base: str | None = None
    stripe_webhook_secret: str = "whsec_" + DEV_SECRET
    storage_dir: Path = LOCAL_DIR / "storage"
    s3_endpoint_url: str | None = None
    s3_bucket: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_region: str = "us-east-1"
    s3_virtual_hosted: bool = False
    public_base_url: str = "http://127.0.0.1:8000"

    jwt_private_key_file: Path = LOCAL_DIR / "keys" / "jwt-signing.pem"
    jwt_issuer: str = "county-market/identity"
    jwks_url: str = "http://127.0.0.1:8000/v1/identity/.well-known/jwks.json"
    jwks_cache_seconds: int = 300
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    secret_key: str = DEV_SECRET
    login_max_failures: int = 5
    login_lockout_minutes: int = 15

    max_json_body_bytes: int = 1_048_576
    max_upload_bytes: int = 10_485_760
    max_json_depth: int = 32
    celery_eager_relay: bool = Field(
        default=True, description="Kick the outbox relay right after a commit that wrote events."
    )
    # kernel tables' retention (shared/retention.py) and event retries (shared/tasks.py)
    outbox_retention_days: int = 400
    inbox_retention_days: int = 30
    idempotency_retention_hours: int = 48
    dead_letter_retention_days: int = 90
    event_max_retries: int = 10
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def refuse_default_secrets_in_production(self) -> CommonSettings:
        if self.environment == "production":
            for name in ("secret_key", "meili_master_key", "stripe_webhook_secret"):
                if DEV_SECRET in str(getattr(self, name)):
                    raise ValueError(f"{name.upper()} must be set in production")
        return self

    def database_url_for(self, service: str) -> str:
        """A service may have its own database (`<SERVICE>_DATABASE_URL`); default is shared."""
        import os

        return os.environ.get(f"{service.upper()}_DATABASE_URL", self.database_url)


@lru_cache
def get_settings() -> CommonSettings:
    return CommonSettings()


def reset_settings_cache() -> None:
    get_settings.cache_clear()
