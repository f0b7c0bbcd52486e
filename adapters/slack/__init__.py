"""Slack adapter: payload parsing, Block Kit rendering and the Bolt listeners over core.service."""

from adapters.slack.handlers import register_handlers

__all__ = ["register_handlers"]
