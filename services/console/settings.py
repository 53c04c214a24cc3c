"""The console's settings: the shared ones plus where the API is and how cookies travel."""

from __future__ import annotations

from functools import lru_cache

from shared.settings import CommonSettings


class ConsoleSettings(CommonSettings):
    console_api_base_url: str | None = None  # default: PUBLIC_BASE_URL
    console_cookie_secure: bool | None = None  # default: secure in production only
    console_session_hours: int = 12

    @property
    def api_base_url(self) -> str:
        return (self.console_api_base_url or self.public_base_url).rstrip("/")

    @property
    def cookie_secure(self) -> bool:
        if self.console_cookie_secure is None:
            return self.environment == "production"
        return self.console_cookie_secure


@lru_cache
def get_console_settings() -> ConsoleSettings:
    return ConsoleSettings()
