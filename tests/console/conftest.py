"""Real-browser tests of the console: Playwright driving Debian's chromium against the
test session's app served on a real port (tests/conftest.py `live_server`).

Every page a test visits is saved as a screenshot under .local/test-output/console/<run>/.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, RUN_ID
from tests.factories import DEFAULT_PASSWORD, Actor

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = REPO / ".local" / "test-output" / "console" / RUN_ID
HAVE_CHROMIUM = CHROMIUM.exists()
_shots = itertools.count(1)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not HAVE_CHROMIUM:
        pytest.skip(
            "the console's browser tests need Debian's chromium at /usr/bin/chromium "
            "(./dev test installs it: apt-get install chromium)"
        )
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        instance = await p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield instance
        await instance.close()


@pytest.fixture(scope="session")
def console_url(live_server) -> str:
    return f"{live_server}/console"


class Console:
    """One person's browser tab on the console; every page it lands on is photographed."""

    def __init__(self, page: Any, base: str, name: str) -> None:
        self.page = page
        self.base = base
        self.name = name

    async def shot(self, label: str) -> Path:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^\w-]+", "-", label).strip("-")[:60]
        path = OUTPUT / f"{next(_shots):03d}-{self.name}-{slug}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path

    async def goto(self, path: str, label: str | None = None) -> Any:
        response = await self.page.goto(self.base + path)
        await self.page.wait_for_load_state("networkidle")
        await self.shot(label or path)
        return response

    async def click_and_load(self, selector: str, label: str) -> None:
        async with self.page.expect_navigation():
            await self.page.click(selector)
        await self.page.wait_for_load_state("networkidle")
        await self.shot(label)

    async def sign_in(self, actor: Actor) -> None:
        await self.goto("/login", "login")
        await self.page.fill("input[name=login]", actor.login)
        await self.page.fill("input[name=password]", DEFAULT_PASSWORD)
        await self.click_and_load("form[action$='/login'] button", "signed-in")

    async def text(self, selector: str = "main") -> str:
        return await self.page.inner_text(selector)


@pytest.fixture
async def open_console(browser, console_url) -> AsyncIterator[Any]:
    contexts: list[Any] = []

    async def make(name: str, viewport: dict | None = None) -> Console:
        context = await browser.new_context(
            viewport=viewport or {"width": 1024, "height": 768}, locale="zh-CN"
        )
        contexts.append(context)
        return Console(await context.new_page(), console_url, name)

    yield make
    for context in contexts:
        await context.close()
