"""The app manifest matches what the code listens for, with Socket Mode on and the least scopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from adapters.slack._parsing import MESSAGE_SHORTCUT_CALLBACK_ID
from adapters.slack.handlers import SLASH_COMMAND

MANIFEST = Path(__file__).resolve().parents[3] / "slack" / "manifest.yml"


def _manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_manifest_declares_what_the_handlers_serve() -> None:
    manifest = _manifest()
    features = manifest["features"]
    assert [command["command"] for command in features["slash_commands"]] == [SLASH_COMMAND]
    shortcuts = features["shortcuts"]
    assert [(item["type"], item["callback_id"]) for item in shortcuts] == [("message", MESSAGE_SHORTCUT_CALLBACK_ID)]
    assert shortcuts[0]["name"] == "Check with perkcheck"
    settings = manifest["settings"]
    assert sorted(settings["event_subscriptions"]["bot_events"]) == ["app_mention", "message.im"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True


def test_manifest_asks_only_for_needed_scopes() -> None:
    scopes = set(_manifest()["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "commands",
        "app_mentions:read",
        "chat:write",
        "channels:history",
        "groups:history",
        "im:history",
        "mpim:history",
    }
    assert "oauth_config" in _manifest() and "user" not in _manifest()["oauth_config"]["scopes"]
