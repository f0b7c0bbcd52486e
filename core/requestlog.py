"""A request id per platform event, carried by every log line written while handling it.

Adapters bind the context when an event arrives (`bind_request`); tasks started from there inherit
it (asyncio copies context variables into new tasks), so work finished after the ack logs the same
id. `RequestContextFilter`, installed on the log handler by the runtime, copies the bound values
onto each record as `request_id`, `platform` and `event_id`. Only ids go here, never user text.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar, Token
from dataclasses import dataclass

__all__ = [
    "RequestContext",
    "RequestContextFilter",
    "bind_request",
    "current_request",
    "new_request_id",
    "reset_request",
    "safe_request_id",
]

_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass(frozen=True, slots=True)
class RequestContext:
    """What identifies the event being handled (all ids, no user content)."""

    request_id: str
    platform: str | None = None
    event_id: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("perkcheck_request", default=None)


def new_request_id() -> str:
    """A fresh random id, 16 hex characters."""
    return uuid.uuid4().hex[:16]


def safe_request_id(candidate: str | None) -> str | None:
    """`candidate` (e.g. a load balancer's X-Request-Id) if it is a short plain id, else None."""
    if candidate and _SAFE_ID.fullmatch(candidate):
        return candidate
    return None


def current_request() -> RequestContext | None:
    """The context bound for the event being handled in this task, if any."""
    return _current.get()


def bind_request(
    *, platform: str | None = None, request_id: str | None = None, event_id: str | None = None
) -> Token[RequestContext | None]:
    """Bind a request context; values not given are kept from an enclosing one (or generated).

    Returns the token for `reset_request`.
    """
    outer = _current.get()
    context = RequestContext(
        request_id=request_id or (outer.request_id if outer else new_request_id()),
        platform=platform or (outer.platform if outer else None),
        event_id=event_id or (outer.event_id if outer else None),
    )
    return _current.set(context)


def reset_request(token: Token[RequestContext | None]) -> None:
    """Restore the context from before the matching `bind_request`."""
    _current.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds `request_id`, `platform` and `event_id` of the bound request to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if context is not None:
            record.request_id = context.request_id
            if context.platform:
                record.platform = context.platform
            if context.event_id:
                record.event_id = context.event_id
        return True
