"""`python -m services.insights rebuild`: empty the read model and ask every producer to replay."""

from __future__ import annotations

import asyncio
import sys

from services.insights.db import kernel
from services.insights.readmodel.repository import ReadModelRepository
from services.insights.rebuild.service import ask_replays, replays
from shared.db import dispose_engines, sessionmaker_for


async def _truncate() -> None:
    async with sessionmaker_for(kernel)() as session:
        await ReadModelRepository(session).truncate()
        await session.commit()
    await dispose_engines()


def main(argv: list[str]) -> int:
    if argv[:1] != ["rebuild"]:
        print("usage: python -m services.insights rebuild", file=sys.stderr)
        return 2
    asyncio.run(_truncate())
    ask_replays(replays())
    print("read model emptied; replay asked of: " + ", ".join(replays()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
