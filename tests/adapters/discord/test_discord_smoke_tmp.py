import asyncio
from discord_standin import slash_command, StandIn


async def test_smoke(standin: StandIn, run_client, service) -> None:
    async with run_client(service) as client:
        await standin.interact(slash_command("perkcheck", {"text": "$500/month API budget, work-only"}))
        [call] = await standin.wait_for(lambda c: c.path.endswith("/callback"))
        print(call)
        print(standin.calls)
