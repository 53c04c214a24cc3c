"""Search: Chinese, synonyms, typos, facets and sorting; PostgreSQL when Meilisearch is down."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console

from tests.catalog.helpers import (
    M,
    approved,
    draft,
    product_body,
    search,
    search_ids,
    supplier,
    until_indexed,
)
from tests.factories import eventually

REPO = Path(__file__).resolve().parents[2]


def body(name, category, **kw):
    return {"name": name, "category": category, **kw}


async def shelf(client, county):
    """Four products of the county, on sale and indexed."""
    seller = await supplier(client, county, "封丘县绿源合作社")
    tea = await approved(
        client,
        county,
        seller,
        name="封丘金银花茶",
        category="金银花",
        pinyin="fengqiu jinyinhua cha",
        name_en="Fengqiu honeysuckle tea",
        description="黄陵镇金银花基地，头茬花蕾",
        origin_township="黄陵镇",
        grade="特级",
        retail_price_fen=6800,
        channels=["retail", "livestream"],
    )
    jam = await approved(client, county, seller)  # 封丘树莓果酱, 陈固镇, 一级, 3980
    frozen = await approved(
        client,
        county,
        seller,
        name="冷冻覆盆子",
        category="树莓",
        pinyin="lengdong fupenzi",
        name_en="Frozen raspberries",
        description="速冻整果",
        grade="特级",
        storage="frozen",
        retail_price_fen=2500,
        channels=["wholesale"],
    )
    celery = await approved(
        client,
        county,
        seller,
        name="封丘芹菜",
        category="芹菜",
        pinyin="fengqiu qincai",
        name_en="Fengqiu celery",
        description="地理标志产品",
        origin_township="城关镇",
        grade="一级",
        retail_price_fen=1200,
        channels=["wholesale", "retail"],
    )
    r = await client.post(
        f"{M}/products/{celery['id']}/certificates",
        json={
            "kind": "geographical_indication",
            "issuer": "国家知识产权局",
            "number": "GI-2013-0421",
            "required": False,
        },
        headers=seller.headers,
    )
    assert r.status_code == 201, r.text
    ids = {"tea": tea["id"], "jam": jam["id"], "frozen": frozen["id"], "celery": celery["id"]}
    for pid in ids.values():
        await until_indexed(client, county, pid)

    async def certificate_indexed() -> bool:
        return (await search(client, county, certificate="geographical_indication"))["total"] == 1

    await eventually(certificate_indexed, timeout=30)
    return ids


async def test_chinese_queries_synonyms_typos_facets_and_sorting(client, county):
    ids = await shelf(client, county)

    r = await search(client, county, q="金银花")
    assert r["source"] == "meilisearch" and [h["id"] for h in r["hits"]] == [ids["tea"]]
    # Synonyms: 忍冬 and 银花 are 金银花; 覆盆子 is 树莓.
    assert await search_ids(client, county, q="忍冬") == {ids["tea"]}
    assert await search_ids(client, county, q="银花") == {ids["tea"]}
    assert {ids["jam"], ids["frozen"]} <= await search_ids(client, county, q="覆盆子")
    r = await search(client, county, q="树莓 果酱")
    assert r["hits"][0]["id"] == ids["jam"]
    # Typos in pinyin and English.
    assert ids["tea"] in await search_ids(client, county, q="jinyihua")
    assert ids["tea"] in await search_ids(client, county, q="honeysukle")
    assert ids["frozen"] in await search_ids(client, county, q="rasberries")

    everything = await search(client, county)
    assert everything["total"] == 4
    facets = everything["facets"]
    assert facets["category"] == {"树莓": 2, "金银花": 1, "芹菜": 1}
    assert facets["grade"] == {"特级": 2, "一级": 2}
    assert facets["township"] == {"陈固镇": 2, "黄陵镇": 1, "城关镇": 1}
    assert facets["channels"]["wholesale"] == 3
    assert facets["certificates"] == {"geographical_indication": 1}
    assert facets["price_band"] == {"0-20": 1, "20-50": 2, "50-100": 1}
    assert everything["price_stats"] == {"min": 1200, "max": 6800}

    r = await search(client, county, sort="price")
    assert [h["id"] for h in r["hits"]] == [ids["celery"], ids["frozen"], ids["jam"], ids["tea"]]
    r = await search(client, county, grade="特级", sort="-price")
    assert [h["id"] for h in r["hits"]] == [ids["tea"], ids["frozen"]]
    r = await search(client, county, price_min=2000, price_max=5000, channel="wholesale")
    assert {h["id"] for h in r["hits"]} == {ids["jam"], ids["frozen"]}

    # With a query the sort still decides the order (relevance only narrows the hits).
    order = {
        "-newest": [ids["frozen"], ids["jam"]],
        "newest": [ids["jam"], ids["frozen"]],
        "price": [ids["frozen"], ids["jam"]],
        "-price": [ids["jam"], ids["frozen"]],
    }
    for sort, expected in order.items():
        r = await search(client, county, q="树莓", sort=sort)
        assert [h["id"] for h in r["hits"]] == expected, sort


async def test_delisted_products_leave_the_index(client, county):
    seller = await supplier(client, county)
    product = await approved(client, county, seller, name="封丘树莓干")
    await until_indexed(client, county, product["id"])
    r = await client.post(
        f"{M}/products/{product['id']}/review/withdraw", json={}, headers=seller.headers
    )
    assert r.json()["status"] == "withdrawn"
    await until_indexed(client, county, product["id"], present=False)


async def test_rebuild_command_restores_the_index(client, county):
    ids = await shelf(client, county)
    from services.catalog.search import engine

    meili = engine.client()
    await meili.delete_index_if_exists(engine.index_uid())
    engine.forget_configuration()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.catalog.reindex",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, stderr.decode()[-2000:]
    assert "indexed" in stdout.decode()
    assert set(ids.values()) <= await search_ids(client, county)
    assert (await search(client, county, q="忍冬"))["hits"][0]["id"] == ids["tea"]


def start_private_meilisearch() -> tuple[subprocess.Popen, str, str]:
    """A Meilisearch of our own (the binary devstack verified), to stop during the test."""
    from shared import devstack

    binary = devstack.install_meilisearch()
    port = devstack._free_port()
    home = Path(tempfile.mkdtemp(prefix="catalog-meili-"))
    key = "private-test-key-0123456789"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
    env["MEILI_MASTER_KEY"] = key
    proc = subprocess.Popen(
        [
            str(binary),
            "--http-addr",
            f"127.0.0.1:{port}",
            "--db-path",
            str(home / "data"),
            "--no-analytics",
            "--env",
            "development",
        ],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, url, key
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("private Meilisearch did not start")


@contextlib.asynccontextmanager
async def private_meilisearch():
    """Search runs against a Meilisearch of our own, rebuilt from the database; the test
    may kill it (proc) to see the PostgreSQL fallback."""
    from services.catalog.reindex import rebuild
    from shared.settings import reset_settings_cache

    proc, url, key = start_private_meilisearch()
    saved = {k: os.environ.get(k) for k in ("MEILI_URL", "MEILI_MASTER_KEY")}
    try:
        os.environ["MEILI_URL"], os.environ["MEILI_MASTER_KEY"] = url, key
        reset_settings_cache()
        await rebuild(Console(file=io.StringIO()))
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset_settings_cache()


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


async def test_search_falls_back_to_postgres_when_meilisearch_is_stopped(client, county):
    ids = await shelf(client, county)
    async with private_meilisearch() as proc:
        before = await search(client, county, q="忍冬")
        assert before["source"] == "meilisearch"
        assert [h["id"] for h in before["hits"]] == [ids["tea"]]

        stop(proc)

        after = await search(client, county, q="忍冬")
        assert after["source"] == "database" and after["degraded"] is True
        assert [h["id"] for h in after["hits"]] == [ids["tea"]]
        r = await search(client, county, q="树莓", sort="price")
        assert [h["id"] for h in r["hits"]] == [ids["frozen"], ids["jam"]]
        assert r["facets"]["grade"] == {"特级": 1, "一级": 1}
        r = await search(client, county, certificate="geographical_indication")
        assert [h["id"] for h in r["hits"]] == [ids["celery"]]


async def test_pinyin_is_made_from_the_name_and_typed_pinyin_finds_the_product(client, county):
    seller = await supplier(client, county)
    tea = await approved(
        client,
        county,
        seller,
        name="封丘金银花茶",
        category="金银花",
        pinyin=None,
        name_en=None,
        description="头茬花蕾",
    )
    assert (tea["pinyin"], tea["pinyin_initials"]) == ("fengqiu jinyinhua cha", "fqjyhc")
    jam = await approved(client, county, seller)  # the supplier gave its own pinyin
    assert (jam["pinyin"], jam["pinyin_initials"]) == ("fengqiu shumei guojiang", "fqsmgj")
    for pid in (tea["id"], jam["id"]):
        await until_indexed(client, county, pid)

    # Initials (from any syllable on), full pinyin, part of it, and a misspelling.
    for q in ("jyh", "fqjyhc", "jinyinhua", "yinhua", "jinyinhau"):
        r = await search(client, county, q=q)
        assert r["source"] == "meilisearch"
        assert [h["id"] for h in r["hits"]] == [tea["id"]], q
    assert await search_ids(client, county, q="smgj") == {jam["id"]}

    # A new name makes a new pinyin (the supplier gave none).
    dried = await draft(client, seller, image=False, name="金银花干花", pinyin=None)
    assert (dried["pinyin"], dried["pinyin_initials"]) == ("jinyinhua ganhua", "jyhgh")
    r = await client.put(
        f"{M}/products/{dried['id']}",
        json=product_body(name="金银花茶叶", pinyin=None, sku=dried["variants"][0]["sku"]),
        headers=seller.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["pinyin_initials"] == "jyhcy"
    assert r.json()["pinyin"].startswith("jinyinhua")


async def test_fallback_finds_misspelt_pinyin_and_partial_names_best_first(client, county):
    seller = await supplier(client, county)
    tea = await approved(
        client, county, seller, name="封丘金银花茶", category="金银花", pinyin=None, name_en=None
    )
    # The supplier misspelt its own pinyin.
    misspelt = await approved(
        client, county, seller, name="金银花茶", category="金银花", pinyin="jinyinhau cha"
    )
    await approved(client, county, seller)  # 封丘树莓果酱
    celery = await approved(
        client, county, seller, name="封丘芹菜", category="芹菜", pinyin=None, name_en=None
    )
    both = {tea["id"], misspelt["id"]}

    async with private_meilisearch() as proc:
        stop(proc)

        async def ranked(q: str) -> list[str]:
            r = await search(client, county, q=q)
            assert r["source"] == "database" and r["degraded"] is True
            return [h["id"] for h in r["hits"]]

        # A typed pinyin, right or wrong: the closer product first.
        assert await ranked("jinyinhua") == [tea["id"], misspelt["id"]]
        assert await ranked("jinyinhau") == [misspelt["id"], tea["id"]]
        assert await ranked("qincia") == [celery["id"]]
        # Initials, part of the Chinese name, a homophone typed with the wrong character.
        assert set(await ranked("jyh")) == both
        assert set(await ranked("金银")) == both
        assert await ranked("金银化") == [tea["id"], misspelt["id"]]
        assert await ranked("shumie guojiang") != []
        assert await ranked("jinyinhau qincai") == []
