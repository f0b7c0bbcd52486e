"""Per-client base URLs for REST, interaction webhooks and the gateway."""

from __future__ import annotations

from discord.http import Route

from adapters.discord.routing import DEFAULT_API_URL, gateway_target, rebase


def test_rest_urls_move_onto_the_configured_base() -> None:
    url = Route("GET", "/channels/{channel_id}/messages", channel_id=1).url
    assert rebase(url, "http://127.0.0.1:9/api/v10") == "http://127.0.0.1:9/api/v10/channels/1/messages"
    assert rebase(url, "http://proxy:8080/api/v10/") == "http://proxy:8080/api/v10/channels/1/messages"
    assert rebase(url, DEFAULT_API_URL) == url
    assert Route.BASE == DEFAULT_API_URL  # nothing process-wide was changed


def test_other_urls_are_left_alone() -> None:
    cdn = "https://cdn.discordapp.com/avatars/1/a.png"
    assert rebase(cdn, "http://127.0.0.1:9/api/v10") == cdn


def test_gateway_keeps_discord_pys_query() -> None:
    dialled = "wss://gateway.discord.gg/?v=10&encoding=json&compress=zlib-stream"
    assert gateway_target(dialled, "ws://127.0.0.1:9/gateway") == (
        "ws://127.0.0.1:9/gateway?v=10&encoding=json&compress=zlib-stream"
    )
    assert gateway_target(dialled, None) == dialled
