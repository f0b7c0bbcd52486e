"""The local console: one DM-style conversation with the bot over any text streams."""

from adapters.console.app import ConsoleApp
from adapters.console.render import render_reply, render_verdict

__all__ = ["ConsoleApp", "render_reply", "render_verdict"]
