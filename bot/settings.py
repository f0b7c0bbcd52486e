"""Every runtime setting, read from the environment and `.env` (one pydantic-settings class).

Attribute names are the environment names in lower case (`SLACK_BOT_TOKEN` -> `slack_bot_token`).
Tokens are `SecretStr`: call `.get_secret_value()` only where the token is used, never log it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def normalise_database_url(url: str) -> str:
    """Map `postgres://` / `postgresql://` (as hosting platforms give them) to asyncpg, and
    refuse anything but the two supported drivers."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://"):
        url = "sqlite+aiosqlite://" + url[len("sqlite://") :]
    if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
    return url


def default_database_url() -> str:
    """A SQLite file under the user's data directory (created on first use)."""
    return f"sqlite+aiosqlite:///{Path(user_data_dir('perkcheck', appauthor=False)) / 'perkcheck.db'}"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


class Settings(BaseSettings):
    """The bot's configuration; `Settings.load()` gives errors that name the setting."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,  # `SLACK_BOT_TOKEN=` in .env means "not set"
        case_sensitive=False,
        frozen=True,
    )

    # storage and housekeeping
    database_url: str = Field(default_factory=default_database_url)
    perkcheck_retention_days: int = Field(default=90, ge=1)
    perkcheck_rate_limit_per_minute: int = Field(default=20, ge=0)  # 0 switches the limit off
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str | None = None
    port: int = Field(default=3000, ge=0, le=65535)  # 0: any free port (the log names it)
    host: str = "0.0.0.0"  # HTTP mode listen address (tests use 127.0.0.1)

    # Discord
    discord_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_api_url: str | None = None
    discord_gateway_url: str | None = None
    discord_shard_count: int | None = Field(default=None, ge=1)
    discord_shard_ids: Annotated[list[int] | None, NoDecode] = None
    discord_message_content: bool = True

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Read the environment (and `.env`); raise SettingsError naming each bad setting."""
        try:
            return cls(**overrides)
        except ValidationError as error:
            problems = []
            for item in error.errors():
                name = ".".join(str(part) for part in item["loc"]).upper() or "settings"
                problems.append(f"{name}: {item['msg']}")
            raise SettingsError("invalid setting " + "; ".join(problems)) from None

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> object:
        if isinstance(value, str):
            return normalise_database_url(value)
        return value

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _case_insensitive(cls, value: object, info: Any) -> object:
        if isinstance(value, str):
            return value.strip().upper() if info.field_name == "log_level" else value.strip().lower()
        return value

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            return [int(part) for part in parts] if parts else None
        return value

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None
