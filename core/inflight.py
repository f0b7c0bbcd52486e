"""Counting work that runs after its acknowledgement, so that shutdown can wait for it (every adapter)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

log = logging.getLogger(__name__)


class InFlight:
    """How many handlers are running now, and a way to wait until none is."""

    def __init__(self, what: str) -> None:
        self._what = what  # named in the shutdown warning, e.g. "Slack listeners"
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Count the enclosed work while it runs."""
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    async def drain(self, within: float) -> bool:
        """Wait up to `within` seconds for running work to finish; False if some did not."""
        try:
            await asyncio.wait_for(self._idle.wait(), within)
        except TimeoutError:
            log.warning("%d %s still running at shutdown", self._count, self._what)
            return False
        return True
