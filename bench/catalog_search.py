"""Benchmark: catalog search through the API vs straight to Meilisearch; product detail vs a
bare FastAPI endpoint returning a constant of the same size.

    .venv/bin/python bench/catalog_search.py [--products 400] [--rounds 300]

Uses DATABASE_URL / MEILI_URL when set, otherwise the local devstack (shared.devstack).
Creates a throwaway database and index, and drops both at the end. Both sides of each pair
run in this process through httpx's ASGI transport (no socket for the app; Meilisearch is
reached over loopback HTTP either way), so the ratio is what the service layer adds.
Results go to stdout and bench/results/catalog.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUERIES = ["金银花", "树莓 果酱", "忍冬", "覆盆子", "芹菜", "jinyihua", "honeysukle", "特级 树莓"]


def provision() -> tuple[str, str]:
    """A fresh database (migrated) and Meilisearch; returns (admin url, database name)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from shared import devstack

    server = os.environ.get("DATABASE_URL") or devstack.ensure_postgres()
    os.environ["MEILI_URL"], os.environ["MEILI_MASTER_KEY"] = devstack.ensure_meilisearch()
    name = f"bench_catalog_{uuid.uuid4().hex[:8]}"
    url = make_url(server)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )

    async def create() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    asyncio.run(create())
    os.environ["DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
    os.environ["MEILI_INDEX_PREFIX"] = f"{name}_"
    os.environ["CELERY_EAGER_RELAY"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    subprocess.run(
        [sys.executable, "-m", "gateway", "migrate"], cwd=REPO, check=True, capture_output=True
    )
    return admin, name


def drop(admin: str, name: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(run())


async def seed(count: int) -> list[uuid.UUID]:
    from services.catalog.db import kernel
    from services.catalog.products.models import Product, Variant
    from services.catalog.suppliers.models import CatalogSupplier
    from shared.db import sessionmaker_for

    rng = random.Random(7)
    region = uuid.uuid4()
    kinds = [
        ("金银花", "封丘金银花茶", "fengqiu jinyinhua cha", "Fengqiu honeysuckle tea"),
        ("树莓", "封丘树莓果酱", "fengqiu shumei guojiang", "Fengqiu raspberry jam"),
        ("树莓", "冷冻覆盆子", "lengdong fupenzi", "Frozen raspberries"),
        ("芹菜", "封丘芹菜", "fengqiu qincai", "Fengqiu celery"),
    ]
    towns = ["陈固镇", "黄陵镇", "城关镇", "尹岗镇", "留光镇"]
    ids = []
    async with sessionmaker_for(kernel)() as session:
        suppliers = [uuid.uuid4() for _ in range(20)]
        for sid in suppliers:
            session.add(CatalogSupplier(org_id=sid, region_id=region, name=f"合作社{sid.hex[:4]}"))
        now = datetime.now(UTC)
        for i in range(count):
            category, name, pinyin, english = rng.choice(kinds)
            pid = uuid.uuid4()
            ids.append(pid)
            supplier = rng.choice(suppliers)
            price = rng.randrange(800, 20000)
            session.add(
                Product(
                    id=pid,
                    region_id=region,
                    supplier_id=supplier,
                    name=f"{name} {i}",
                    name_en=english,
                    pinyin=pinyin,
                    category=category,
                    description="封丘县" + rng.choice(towns) + "基地出品，" + "产地直发。" * 20,
                    origin_township=rng.choice(towns),
                    grade=rng.choice(["特级", "一级", "二级"]),
                    storage="ambient",
                    shelf_life_days=365,
                    attributes={"产地": "封丘"},
                    channels=rng.sample(["wholesale", "livestream", "retail"], 2),
                    retail_price_fen=price,
                    status="approved",
                    review_reasons=[],
                    brand_name=rng.choice([None, "封丘树莓", "封丘金银花"]),
                    certificate_kinds=rng.sample(["inspection_report", "green_food"], 1),
                    certificate_hold=False,
                    on_sale=True,
                    listed_at=now - timedelta(minutes=i),
                    version=1,
                    variants=[
                        Variant(
                            supplier_id=supplier,
                            sku=f"B-{i}-{v}",
                            name=f"{250 * (v + 1)}g",
                            unit="瓶",
                            net_weight_g=250 * (v + 1),
                            retail_price_fen=price * (v + 1),
                            position=v,
                        )
                        for v in range(2)
                    ],
                    images=[],
                )
            )
        await session.commit()
    return ids


async def timed(call, rounds: int, warmup: int = 20) -> list[float]:
    for _ in range(warmup):
        await call(0)
    samples = []
    for i in range(rounds):
        started = time.perf_counter()
        await call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1], 3),
        "n": len(ordered),
    }


async def run(products: int, rounds: int) -> dict:
    import httpx
    from fastapi import FastAPI
    from rich.console import Console

    from services.catalog.app import app as catalog_app
    from services.catalog.db import kernel
    from services.catalog.products.repository import ProductRepository
    from services.catalog.reindex import rebuild
    from services.catalog.search import engine
    from services.catalog.search.documents import FACETS, SearchQuery, meili_filter
    from services.catalog.search.service import HIT_FIELDS
    from shared.db import dispose_engines, sessionmaker_for

    ids = await seed(products)
    await rebuild(Console(stderr=True))
    async with sessionmaker_for(kernel)() as session:
        product = await ProductRepository(session).get(ids[0])
        assert product is not None
        region = product.region_id

    transport = httpx.ASGITransport(app=catalog_app)
    api = httpx.AsyncClient(transport=transport, base_url="http://bench")
    index = engine.client().index(engine.index_uid())

    async def via_api(i: int) -> None:
        r = await api.get(
            "/v1/catalog/search", params={"region_id": str(region), "q": QUERIES[i % len(QUERIES)]}
        )
        assert r.status_code == 200 and r.json()["source"] == "meilisearch", r.text

    engine_ms: list[float] = []

    async def direct(i: int) -> None:
        result = await index.search(
            QUERIES[i % len(QUERIES)],
            limit=20,
            filter=meili_filter(SearchQuery(region_id=str(region))),
            facets=[*FACETS, "price_fen"],
            attributes_to_retrieve=HIT_FIELDS,
        )
        engine_ms.append(result.processing_time_ms)

    detail_path = f"/v1/catalog/products/{ids[0]}"
    sample = (await api.get(detail_path)).content
    constant = json.loads(sample)
    bare = FastAPI()

    @bare.get("/product")
    async def product() -> dict:
        return constant

    bare_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=bare), base_url="http://b")
    assert len((await bare_client.get("/product")).content) == len(sample)

    async def detail(i: int) -> None:
        r = await api.get(f"/v1/catalog/products/{ids[i % len(ids)]}")
        assert r.status_code == 200

    async def bare_detail(i: int) -> None:
        await bare_client.get("/product")

    results = {
        "search_api": summary(await timed(via_api, rounds)),
        "search_meilisearch_direct": summary(await timed(direct, rounds)),
        "detail_api": summary(await timed(detail, rounds)),
        "detail_bare_fastapi": summary(await timed(bare_detail, rounds)),
    }
    results["meilisearch_processing_time_ms_median"] = statistics.median(engine_ms)
    results["ratios"] = {
        "search_api_over_direct": round(
            results["search_api"]["median_ms"] / results["search_meilisearch_direct"]["median_ms"],
            2,
        ),
        "detail_api_over_bare": round(
            results["detail_api"]["median_ms"] / results["detail_bare_fastapi"]["median_ms"], 2
        ),
    }
    results["setup"] = {
        "products": products,
        "rounds": rounds,
        "detail_body_bytes": len(sample),
        "queries": QUERIES,
        "transport": "httpx ASGITransport in-process; Meilisearch over loopback HTTP",
    }
    await api.aclose()
    await bare_client.aclose()
    await engine.client().delete_index_if_exists(engine.index_uid())
    await dispose_engines()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    admin, name = provision()
    from shared.logging import configure_logging

    configure_logging("WARNING", False)
    try:
        results = asyncio.run(run(args.products, args.rounds))
    finally:
        drop(admin, name)
    out = REPO / "bench" / "results" / "catalog.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    for name_, value in results.items():
        print(f"{name_}: {value}")


if __name__ == "__main__":
    main()
