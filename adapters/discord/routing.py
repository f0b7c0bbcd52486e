"""Point discord.py's REST calls, interaction webhooks and gateway at configurable base URLs.

discord.py builds every REST URL from the class attribute ``discord.http.Route.BASE`` and
connects to ``wss://gateway.discord.gg``. Instead of changing those process-wide values,
the client gets an HTTP client and a webhook adapter (a context variable discord.py reads
for interaction responses) that rewrite URLs per client.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from discord.http import HTTPClient, Route
from discord.webhook.async_ import AsyncWebhookAdapter

DEFAULT_API_URL = "https://discord.com/api/v10"


def rebase(url: str, api_url: str) -> str:
    """`url` (built on Route.BASE) moved onto `api_url`; other URLs unchanged."""
    base = Route.BASE
    if api_url.rstrip("/") == base or not url.startswith(base):
        return url
    return api_url.rstrip("/") + url[len(base) :]


def gateway_target(url: str, gateway_url: str | None) -> str:
    """The websocket URL to dial: `gateway_url` with discord.py's query (version, encoding)."""
    if not gateway_url:
        return url
    return urlunsplit(urlsplit(gateway_url)._replace(query=urlsplit(url).query))


class RoutedHTTPClient(HTTPClient):
    """discord.py's HTTP client with REST calls on `api_url` and the gateway on `gateway_url`."""

    def __init__(self, *args: Any, api_url: str, gateway_url: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url
        self.gateway_url = gateway_url

    async def request(self, route: Route, **kwargs: Any) -> Any:
        route.url = rebase(route.url, self.api_url)
        return await super().request(route, **kwargs)

    async def ws_connect(self, url: str, *, compress: int = 0) -> aiohttp.ClientWebSocketResponse:
        return await super().ws_connect(gateway_target(url, self.gateway_url), compress=compress)


class RoutedWebhookAdapter(AsyncWebhookAdapter):
    """Interaction callbacks and follow-ups (sent through webhooks) on `api_url`."""

    def __init__(self, api_url: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.api_url = api_url

    async def request(self, route: Route, *args: Any, **kwargs: Any) -> Any:
        route.url = rebase(route.url, self.api_url)
        return await super().request(route, *args, **kwargs)
