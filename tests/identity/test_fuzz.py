"""Generated requests (schemathesis, from the OpenAPI spec) never get a 5xx, and every error
they get is problem+json."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from starlette.testclient import TestClient

from gateway.app import app
from tests.factories import DEFAULT_PASSWORD

schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def operator_headers() -> dict[str, str]:
    """A signed-in platform administrator (sees everything, so generated ids reach the rules)."""
    import asyncio

    from services.identity.db import kernel
    from services.identity.users.service import ensure_platform_admin
    from shared.db import sessionmaker_for
    from tests.factories import unique_phone

    login = unique_phone()

    async def make() -> None:
        async with sessionmaker_for(kernel)() as session:
            await ensure_platform_admin(session, login, DEFAULT_PASSWORD, "fuzz admin")
            await session.commit()

    asyncio.run(make())
    with TestClient(app) as c:
        r = c.post("/v1/identity/auth/login", json={"login": login, "password": DEFAULT_PASSWORD})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}


@schema.include(path_regex="^/v1/identity/").parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_identity_api_answers_generated_requests_without_server_errors(case, operator_headers):
    response = case.call(headers=operator_headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        content_type = response.headers.get("content-type") or [""]
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), response.text
