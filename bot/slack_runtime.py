"""Run the Slack adapter: Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode on PORT.

HTTP mode serves Slack's requests at `/slack/events`, liveness at `GET /healthz` and database
readiness at `GET /readyz`. On cancellation (SIGTERM) both modes stop taking work and wait, up to
SHUTDOWN_DRAIN_SECONDS, for what was already acknowledged.
The Web API client talks to `SLACK_API_URL` (default `https://slack.com/api/`) and retries
429s after `Retry-After`, server errors and dropped connections with slack_sdk's handlers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from aiohttp import web
from pydantic import SecretStr
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import register_handlers
from adapters.slack.handlers import SlackHandlers
from bot.settings import Settings
from bot.storage import SqlStorage
from core.requestlog import bind_request, new_request_id, reset_request, safe_request_id
from core.service import ConversationService

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
REQUEST_ID_HEADER = "X-Request-Id"
REQUEST_ID_CONTEXT_KEY = "perkcheck_request_id"
SHUTDOWN_DRAIN_SECONDS = 10.0
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2

logger = logging.getLogger(__name__)

ReadinessProbe = Callable[[], Awaitable[bool]]
SlackMode = Literal["auto", "http", "socket"]


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


@dataclass(frozen=True)
class SlackBot:
    """The Bolt app with perkcheck's listeners, and those listeners (to drain at shutdown)."""

    app: AsyncApp
    listeners: SlackHandlers


def build_bolt_app(
    service: ConversationService,
    *,
    client: AsyncWebClient,
    signing_secret: str | None,
) -> SlackBot:
    """The Bolt app with perkcheck's listeners; requests are verified when a secret is given."""
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=bool(signing_secret),
        process_before_response=False,
    )
    app.use(_BindRequestContext())
    return SlackBot(app=app, listeners=register_handlers(app, service))


class _BindRequestContext(AsyncMiddleware):
    """Bolt middleware: bind the request id (the HTTP layer's, or a new one in Socket Mode) and
    Slack's event id, if any. Bolt runs the listeners after the middleware chain, in this task
    (Socket Mode: one task per envelope), so the binding is left in place for them and for the
    tasks they start; HTTP mode resets it when the request ends.

    A middleware object rather than a function: Bolt calls it directly, where a function would
    cost a build of every listener argument (say, respond, client...) on every request."""

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if isinstance(body, dict) else None
        bind_request(
            platform="slack",
            request_id=req.context.get(REQUEST_ID_CONTEXT_KEY) or new_request_id(),
            event_id=str(event_id) if event_id else None,
        )
        return await next()


def build_web_app(bolt_app: AsyncApp, ready: ReadinessProbe | None = None) -> web.Application:
    """The HTTP-mode server: Slack's requests at /slack/events, GET /healthz (process up) and
    GET /readyz (200 when `ready()` says the database answers, else 503)."""

    async def slack_events(request: web.Request) -> web.Response:
        # One request id per delivery (the load balancer's X-Request-Id when it sends a plain one):
        # every log line of this request, and of work it leaves running after the ack, carries it.
        request_id = safe_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        token = bind_request(platform="slack", request_id=request_id)
        try:
            bolt_request = await to_bolt_request(request)
            bolt_request.context[REQUEST_ID_CONTEXT_KEY] = request_id
            bolt_response = await bolt_app.async_dispatch(bolt_request)
            response = await to_aiohttp_response(bolt_response)
        finally:
            reset_request(token)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_request: web.Request) -> web.Response:
        if ready is None or await ready():
            return web.json_response({"status": "ready"})
        return web.json_response({"status": "database unavailable"}, status=503)

    web_app = web.Application()
    web_app.add_routes(
        [
            web.post(EVENTS_PATH, slack_events),
            web.get(HEALTH_PATH, healthz),
            web.get(READY_PATH, readyz),
        ]
    )
    return web_app


def database_probe(service: ConversationService) -> ReadinessProbe | None:
    """A readiness probe pinging the service's database, when its storage can be pinged."""
    storage = service.storage
    return storage.ping if isinstance(storage, SqlStorage) else None


async def run_slack(settings: Settings, service: ConversationService, mode: SlackMode = "auto") -> None:
    """Serve Slack until cancelled: Socket Mode with an app token, else HTTP mode on PORT.

    `mode="http"` (the `web` role) serves HTTP mode even when SLACK_APP_TOKEN is set;
    `mode="socket"` (the `worker` role) requires the app token.
    """
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is required to run the Slack adapter")
    client = build_web_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    app_token = None if mode == "http" else settings.slack_app_token
    signing_secret = settings.slack_signing_secret
    if mode == "socket" and app_token is None:
        raise ValueError("SLACK_APP_TOKEN is required for Slack Socket Mode")
    if app_token is None and signing_secret is None:
        raise ValueError("SLACK_SIGNING_SECRET is required for Slack HTTP mode (or set SLACK_APP_TOKEN)")
    secret = signing_secret.get_secret_value() if signing_secret is not None else None
    bot = build_bolt_app(service, client=client, signing_secret=secret)
    if app_token is not None:
        await run_socket_mode(bot, app_token)
    else:
        await run_http_mode(bot, port=settings.port, host=settings.host, ready=database_probe(service))


async def run_socket_mode(bot: SlackBot, app_token: SecretStr) -> None:
    """Hold a Socket Mode connection until cancelled; then close it and drain running work."""
    handler = AsyncSocketModeHandler(bot.app, app_token=app_token.get_secret_value())
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        logger.info("Slack Socket Mode connected")
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await bot.listeners.drain(SHUTDOWN_DRAIN_SECONDS)


async def run_http_mode(
    bot: SlackBot, *, port: int, host: str = "0.0.0.0", ready: ReadinessProbe | None = None
) -> None:
    """Serve HTTP mode on `port` until cancelled; then finish in-flight requests and work."""
    runner = web.AppRunner(build_web_app(bot.app, ready), access_log=None, shutdown_timeout=SHUTDOWN_DRAIN_SECONDS)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host=host, port=port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        bound = int(sockets[0].getsockname()[1]) if sockets else port  # PORT=0 picks a free port
        logger.info("Slack HTTP mode listening on port %d at %s", bound, EVENTS_PATH)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await bot.listeners.drain(SHUTDOWN_DRAIN_SECONDS)
