"""Run the Slack adapter: Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode on PORT.

HTTP mode serves Slack's requests at `/slack/events` and a liveness probe at `GET /healthz`.
The Web API client talks to `SLACK_API_URL` (default `https://slack.com/api/`) and retries
429s after `Retry-After`, server errors and dropped connections with slack_sdk's handlers.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from pydantic import SecretStr
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import register_handlers
from bot.settings import Settings
from core.service import ConversationService

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2

logger = logging.getLogger(__name__)


def build_web_client(token: str, api_url: str | None) -> AsyncWebClient:
    """The Web API client: `api_url` as base URL, retrying 429s, 5xx and connection errors."""
    base_url = api_url or DEFAULT_SLACK_API_URL
    if not base_url.endswith("/"):
        base_url += "/"
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ],
    )


def build_bolt_app(
    service: ConversationService,
    *,
    client: AsyncWebClient,
    signing_secret: str | None,
) -> AsyncApp:
    """The Bolt app with perkcheck's listeners; requests are verified when a secret is given."""
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=bool(signing_secret),
        process_before_response=False,
    )
    register_handlers(app, service)
    return app


def build_web_app(bolt_app: AsyncApp) -> web.Application:
    """The HTTP-mode server: Slack's requests at /slack/events, liveness at GET /healthz."""

    async def slack_events(request: web.Request) -> web.Response:
        bolt_response = await bolt_app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    web_app = web.Application()
    web_app.add_routes([web.post(EVENTS_PATH, slack_events), web.get(HEALTH_PATH, healthz)])
    return web_app


async def run_slack(settings: Settings, service: ConversationService) -> None:
    """Serve Slack until cancelled: Socket Mode with an app token, else HTTP mode on PORT."""
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is required to run the Slack adapter")
    client = build_web_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    app_token = settings.slack_app_token
    signing_secret = settings.slack_signing_secret
    if app_token is not None:
        secret = signing_secret.get_secret_value() if signing_secret is not None else None
        await run_socket_mode(
            build_bolt_app(service, client=client, signing_secret=secret), app_token
        )
        return
    if signing_secret is None:
        raise ValueError(
            "SLACK_SIGNING_SECRET is required for Slack HTTP mode (or set SLACK_APP_TOKEN)"
        )
    bolt_app = build_bolt_app(
        service, client=client, signing_secret=signing_secret.get_secret_value()
    )
    await run_http_mode(bolt_app, port=settings.port)


async def run_socket_mode(bolt_app: AsyncApp, app_token: SecretStr) -> None:
    """Hold a Socket Mode connection until cancelled, then close it."""
    handler = AsyncSocketModeHandler(bolt_app, app_token=app_token.get_secret_value())
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        logger.info("Slack Socket Mode connected")
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


async def run_http_mode(bolt_app: AsyncApp, *, port: int, host: str = "0.0.0.0") -> None:
    """Serve /slack/events and /healthz on `port` until cancelled; then finish what is in flight."""
    runner = web.AppRunner(build_web_app(bolt_app), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host=host, port=port)
        await site.start()
        logger.info("Slack HTTP mode listening on port %d at %s", port, EVENTS_PATH)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
