"""A DM-style loop: read lines, pass them to the conversation service, print the replies.

Works on any text streams (a TTY, a pipe, a file). The open case lives in the database, so an
answer typed in a new process refines the case from the last one.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from adapters.console.render import clean, render_reply
from core.service import Conversation, ConversationService

QUIT_WORDS = frozenset({"quit", "exit", "bye"})
WELCOME = (
    "perkcheck: is that AI token allowance pay, or an operating cost dressed up as pay?\n"
    "Paste an offer (or just the allowance), answer my questions, or type help. quit to leave."
)


class ConsoleApp:
    """One console conversation for `user` on this machine."""

    def __init__(
        self,
        service: ConversationService,
        stdin: TextIO,
        stdout: TextIO,
        *,
        user: str,
        prompt: bool | None = None,
    ) -> None:
        self._service = service
        self._stdin = stdin
        self._stdout = stdout
        self._conv = Conversation(platform="console", workspace="local", channel="console", user=user)
        self._prompt = stdin.isatty() if prompt is None else prompt

    @property
    def conversation(self) -> Conversation:
        return self._conv

    async def run(self) -> int:
        """Read until EOF or quit; 0 when the conversation ended normally."""
        self._write(WELCOME)
        open_case = await self._service.open_case(self._conv)
        if open_case is not None and open_case.verdict.questions:
            self._write(
                clean(
                    "Picking up your last check: "
                    f"{open_case.verdict.label}: {open_case.verdict.headline}\n"
                    "Answer its questions here, or type new to start another."
                )
            )
        while True:
            if self._prompt:
                self._stdout.write("> ")
                self._stdout.flush()
            line = await asyncio.to_thread(self._stdin.readline)
            if not line:
                return 0
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            if text.strip().lower() in QUIT_WORDS:
                self._write("Bye.")
                return 0
            reply = await self._service.message(self._conv, text)
            self._write(render_reply(reply))

    def _write(self, text: str) -> None:
        if text:
            self._stdout.write(text + "\n\n")
            self._stdout.flush()
