"""Rebuild the public product index from the database: `python -m services.catalog.reindex`.

Builds a fresh index beside the live one, then swaps them, so search keeps answering.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from services.catalog.db import kernel
from services.catalog.products.repository import ProductRepository
from services.catalog.search import engine
from services.catalog.search.indexer import documents_for
from shared.db import dispose_engines, sessionmaker_for

BATCH = 500


async def rebuild(console: Console, batch: int = BATCH) -> int:
    live = engine.index_uid()
    fresh = engine.index_uid("_rebuild")
    meili = engine.client()
    await meili.delete_index_if_exists(fresh)
    index = await engine.ensure_index(fresh, wait=True)
    sessionmaker = sessionmaker_for(kernel)
    async with sessionmaker() as session:
        total = await ProductRepository(session).count_on_sale()
    indexed = 0
    tasks = []
    with Progress(
        TextColumn("[bold]indexing products"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        bar = progress.add_task("index", total=total)
        after: uuid.UUID | None = None
        while True:
            async with sessionmaker() as session:
                repo = ProductRepository(session)
                ids = await repo.on_sale_ids(after=after, limit=batch)
                if not ids:
                    break
                documents = await documents_for(session, await repo.by_ids(ids))
            tasks.append(await index.add_documents(documents, primary_key="id"))
            indexed += len(documents)
            after = ids[-1]
            progress.update(bar, advance=len(documents))
        for task in tasks:
            await meili.wait_for_task(task.task_uid, timeout_in_ms=300_000)
    if await meili.get_raw_index(live) is None:
        await engine.ensure_index(live, wait=True)
    swap = await meili.swap_indexes([(live, fresh)])
    await meili.wait_for_task(swap.task_uid, timeout_in_ms=60_000)
    await meili.delete_index_if_exists(fresh)
    engine.forget_configuration()
    return indexed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=BATCH)
    args = parser.parse_args()
    console = Console()
    try:
        count = await rebuild(console, args.batch)
        console.print(f"[green]indexed {count} products into {engine.index_uid()}")
    finally:
        await dispose_engines()


if __name__ == "__main__":
    asyncio.run(main())
