"""Settings from the environment and `.env`; bad values stop start-up naming the setting."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import migrate_main, serve_main
from bot.migrations.runner import head_revision
from bot.settings import Settings, SettingsError

ALL_NAMES = [
    "DATABASE_URL",
    "PERKCHECK_RETENTION_DAYS",
    "PERKCHECK_RATE_LIMIT_PER_MINUTE",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
    "PORT",
    "HOST",
    "DISCORD_TOKEN",
    "DISCORD_GUILD_ID",
    "DISCORD_API_URL",
    "DISCORD_GATEWAY_URL",
    "DISCORD_SHARD_COUNT",
    "DISCORD_SHARD_IDS",
    "DISCORD_MESSAGE_CONTENT",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ALL_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers  # the commands under test configure logging
    root.setLevel(level)


def test_defaults() -> None:
    settings = Settings.load()
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.database_url.endswith("perkcheck.db")
    assert settings.perkcheck_retention_days == 90
    assert settings.perkcheck_rate_limit_per_minute == 20
    assert (settings.log_level, settings.log_format, settings.port) == ("INFO", "text", 3000)
    assert settings.discord_message_content is True
    assert not settings.slack_enabled and not settings.discord_enabled


def test_every_setting_is_a_field() -> None:
    assert sorted(name.upper() for name in Settings.model_fields) == sorted(ALL_NAMES)


def test_environment_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/perkcheck")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret-value")
    monkeypatch.setenv("DISCORD_SHARD_IDS", "0, 2,3")
    monkeypatch.setenv("DISCORD_GUILD_ID", "")
    monkeypatch.setenv("DISCORD_MESSAGE_CONTENT", "false")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = Settings.load()
    assert settings.database_url == "postgresql+asyncpg://u@db/perkcheck"
    assert settings.slack_enabled
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-secret-value"
    assert "xoxb-secret-value" not in repr(settings)
    assert settings.discord_shard_ids == [0, 2, 3]
    assert settings.discord_guild_id is None
    assert settings.discord_message_content is False
    assert settings.log_level == "DEBUG"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PERKCHECK_RETENTION_DAYS=7\nDISCORD_TOKEN=abc\n")
    settings = Settings.load()
    assert settings.perkcheck_retention_days == 7
    assert settings.discord_enabled


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("DISCORD_SHARD_IDS", "0,x"),
        ("LOG_FORMAT", "xml"),
        ("DATABASE_URL", "mysql://db/x"),
        ("PERKCHECK_RETENTION_DAYS", "0"),
    ],
)
def test_a_malformed_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        Settings.load()
    assert serve_main([]) == 2
    assert name in capsys.readouterr().err


def test_migrate_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite'}")
    assert migrate_main([]) == 0
    assert f"revision {head_revision()}" in capsys.readouterr().out
    assert migrate_main([]) == 0
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/none")
    assert migrate_main([]) == 1
    assert "could not migrate" in capsys.readouterr().err


def test_env_example_documents_every_setting() -> None:
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    documented = {line.lstrip("# ").split("=", 1)[0] for line in example.splitlines() if "=" in line}
    assert {name.upper() for name in Settings.model_fields} <= documented
