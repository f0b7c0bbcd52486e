"""Child process for the durability test: writes cases forever, printing each id once committed."""

from __future__ import annotations

import asyncio
import sys

from bot.storage import SqlStorage
from core.service import Conversation, ConversationService


async def write_forever(url: str, schema: str | None) -> None:
    storage = SqlStorage(url, schema=schema)
    await storage.migrate()
    service = ConversationService(storage, rate_limit_per_minute=0)
    conv = Conversation(platform="console", workspace="local", channel="console", user="writer")
    n = 0
    while True:
        n += 1
        reply = await service.check(conv, f"${n}/month API budget, work only")
        if reply.case_id is None:
            raise SystemExit(f"not saved: {reply.notes}")
        print(reply.case_id, flush=True)


if __name__ == "__main__":
    asyncio.run(write_forever(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
