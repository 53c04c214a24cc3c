"""The Meilisearch connection (meilisearch-python-sdk AsyncClient), one per event loop."""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING, Any

import orjson

from services.catalog.search.documents import INDEX, index_settings
from shared.db import on_dispose
from shared.settings import get_settings

if TYPE_CHECKING:
    # imported where used: the SDK and aiohttp cost every process that imports the catalog
    # ~0.2 s at start, and only searches and the worker's indexing need them
    import aiohttp
    from meilisearch_python_sdk import AsyncClient
    from meilisearch_python_sdk.models.settings import MeilisearchSettings

SEARCH_TIMEOUT_SECONDS = 3

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, AsyncClient]] = (
    weakref.WeakKeyDictionary()
)
_configured: set[tuple[str, str]] = set()


def index_uid(suffix: str = "") -> str:
    return f"{get_settings().meili_index_prefix}{INDEX}{suffix}"


def client() -> AsyncClient:
    settings = get_settings()
    per_loop = _clients.setdefault(asyncio.get_running_loop(), {})
    found = per_loop.get(settings.meili_url)
    if found is None:
        from meilisearch_python_sdk import AsyncClient

        # identity: Meilisearch writes a gzip answer in two segments with Nagle on, and the
        # client's delayed ACK then stalls every search 40 ms (issue 17).
        found = AsyncClient(
            settings.meili_url,
            settings.meili_master_key,
            timeout=SEARCH_TIMEOUT_SECONDS,
            custom_headers={"Accept-Encoding": "identity"},
        )
        per_loop[settings.meili_url] = found
    return found


_search_sessions: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[str, aiohttp.ClientSession]
] = weakref.WeakKeyDictionary()


def _search_session() -> aiohttp.ClientSession:
    """One keep-alive aiohttp session per loop for searches: identity encoding (no gzip
    stall), answers parsed by orjson (no SDK models on the request path). Not httpx: its
    transport looks for `sniffio` (not installed) with an import per call — four failed
    imports, each a walk of sys.path, per search."""
    settings = get_settings()
    per_loop = _search_sessions.setdefault(asyncio.get_running_loop(), {})
    found = per_loop.get(settings.meili_url)
    if found is None or found.closed:
        import aiohttp

        found = aiohttp.ClientSession(
            base_url=settings.meili_url.rstrip("/") + "/",
            headers={
                "Authorization": f"Bearer {settings.meili_master_key}",
                "Content-Type": "application/json",
                "Accept-Encoding": "identity",
            },
            timeout=aiohttp.ClientTimeout(total=SEARCH_TIMEOUT_SECONDS),
            connector=aiohttp.TCPConnector(limit=32, keepalive_timeout=60),
            json_serialize=lambda value: orjson.dumps(value).decode(),
        )
        per_loop[settings.meili_url] = found
    return found


async def search(uid: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST /indexes/{uid}/search; any failure raises (the caller falls back)."""
    async with _search_session().post(f"indexes/{uid}/search", data=orjson.dumps(body)) as response:
        response.raise_for_status()
        result: dict[str, Any] = orjson.loads(await response.read())
    return result


async def close_search_sessions() -> None:
    for session in _search_sessions.pop(asyncio.get_running_loop(), {}).values():
        await session.close()


on_dispose(close_search_sessions)


def settings_model() -> MeilisearchSettings:
    from meilisearch_python_sdk.models.settings import MeilisearchSettings

    return MeilisearchSettings.model_validate(index_settings())


async def ensure_index(uid: str | None = None, *, wait: bool = False) -> Any:
    """The index with its settings (applied once per process; Meilisearch queues them)."""
    uid = uid or index_uid()
    key = (get_settings().meili_url, uid)
    meili = client()
    index = meili.index(uid)
    if key in _configured and await meili.get_raw_index(uid) is None:
        _configured.discard(key)  # deleted behind our back: settings must be applied again
    if key not in _configured:
        # Updating settings creates the index when missing; tasks run in order.
        task = await index.update_settings(settings_model())
        if wait:
            await meili.wait_for_task(task.task_uid, timeout_in_ms=60_000)
        _configured.add(key)
    return index


def forget_configuration() -> None:
    _configured.clear()
