"""A DM-style loop: read messages, pass them to the conversation service, print the replies.

Works on any text streams. From a pipe or a file every line is one message. From a terminal a
typed line is one message, and a multi-line paste (an offer letter paragraph) is one message too:
its lines arrive together, so lines already waiting are joined to the first. The open case lives
in the database, so an answer typed in a new process refines the case from the last one.
"""

from __future__ import annotations

import asyncio
import os
import select
from typing import TextIO

from adapters.console.render import clean, render_reply, title
from core.service import Conversation, ConversationService

QUIT_WORDS = frozenset({"quit", "exit", "bye"})
WELCOME = (
    "perkcheck: is that AI token allowance pay, or an operating cost dressed up as pay?\n"
    "Paste an offer (or just the allowance), answer my questions, or type help. quit to leave."
)
PASTE_SETTLE_SECONDS = 0.05


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
        interactive = stdin.isatty()
        self._prompt = interactive if prompt is None else prompt
        self._terminal_fd = stdin.fileno() if interactive and os.name == "posix" else None

    @property
    def conversation(self) -> Conversation:
        return self._conv

    async def run(self) -> int:
        """Read until end of input or quit; 0 when the conversation ended normally."""
        self._write(WELCOME)
        open_case = await self._service.open_case(self._conv)
        if open_case is not None and open_case.verdict.questions:
            self._write(
                clean(
                    f"Picking up your last check: {title(open_case.verdict)}\n"
                    "Answer its questions here, or type new to start another."
                )
            )
        while True:
            if self._prompt:
                self._stdout.write("> ")
                self._stdout.flush()
            text = await self._read_message()
            if text is None:
                return 0
            text = text.strip()
            if not text:
                continue
            if text.lower() in QUIT_WORDS:
                self._write("Bye.")
                return 0
            reply = await self._service.message(self._conv, text)
            self._write(render_reply(reply))

    async def _read_message(self) -> str | None:
        """The next message, or None at end of input."""
        if self._terminal_fd is not None:
            encoding = getattr(self._stdin, "encoding", None) or "utf-8"
            return await asyncio.to_thread(read_terminal_message, self._terminal_fd, encoding)
        line = await asyncio.to_thread(self._stdin.readline)
        return line or None

    def _write(self, text: str) -> None:
        if text:
            self._stdout.write(text + "\n\n")
            self._stdout.flush()


def read_terminal_message(fd: int, encoding: str = "utf-8", settle: float = PASTE_SETTLE_SECONDS) -> str | None:
    """A typed line, or all the lines of a paste (those already waiting); None at end of input.

    A terminal in canonical mode hands over one line per read; lines of a paste are already
    queued when the first is read, so everything that arrives within `settle` seconds joins it.
    """
    chunks = [os.read(fd, 65536)]
    if not chunks[0]:
        return None
    while select.select([fd], [], [], settle)[0]:
        more = os.read(fd, 65536)
        if not more:
            break
        chunks.append(more)
    return b"".join(chunks).decode(encoding, errors="replace")
