"""A client generated from /openapi.json (openapi-python-client) installs, signs in, lists
products and reads a 422 as a Problem (the spec declares problem+json on every operation)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

from tests.factories import DEFAULT_PASSWORD


@pytest.fixture(scope="module")
def generated(tmp_path_factory, app):
    where = tmp_path_factory.mktemp("client")
    (where / "spec.json").write_text(json.dumps(app.openapi()))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(where / "spec.json"),
            "--meta",
            "none",
            "--output-path",
            str(where / "county_client"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (where / "county_client" / "client.py").exists(), done.stdout + done.stderr
    sys.path.insert(0, str(where))
    yield importlib.import_module("county_client")
    sys.path.remove(str(where))


def test_the_spec_declares_problems_not_fastapis_validation_error(app):
    spec = app.openapi()
    assert "HTTPValidationError" not in json.dumps(spec)
    login = spec["paths"]["/v1/identity/auth/login"]["post"]["responses"]
    for status in ("400", "401", "403", "404", "409", "422", "429"):
        assert "application/problem+json" in login[status]["content"], status


async def test_the_generated_client_signs_in_lists_products_and_reads_problems(
    generated, live_server, county, admin
):
    client_mod = importlib.import_module("county_client.client")
    login = importlib.import_module("county_client.api.identity_auth.identity_auth_login")
    search = importlib.import_module(
        "county_client.api.catalog_search.catalog_search_search_products"
    )
    models = importlib.import_module("county_client.models")

    anonymous = client_mod.Client(base_url=live_server)
    answer = await login.asyncio_detailed(
        client=anonymous,
        body=models.LoginRequest(login=county.operator.login, password=DEFAULT_PASSWORD),
    )
    assert answer.status_code == 200, answer.content
    assert isinstance(answer.parsed, models.TokenPair)

    answer = await search.asyncio_detailed(client=anonymous, region_id=county.region_id)
    assert answer.status_code == 200, answer.content
    assert isinstance(answer.parsed, models.SearchResult) and answer.parsed.hits == []

    # a 422 (a limit beyond the cap) is a Problem with its field errors, not a crash
    invalid = await search.asyncio_detailed(
        client=anonymous, region_id=county.region_id, limit=1000
    )
    assert invalid.status_code == 422
    assert isinstance(invalid.parsed, models.Problem)
    assert invalid.parsed.type_.endswith("/validation-error")
    assert [e.field for e in invalid.parsed.errors] == ["query.limit"]

    wrong = await login.asyncio_detailed(
        client=anonymous, body=models.LoginRequest(login=county.operator.login, password="x")
    )
    assert wrong.status_code in (401, 422)
    assert isinstance(wrong.parsed, models.Problem)
    assert wrong.parsed.type_.startswith("https://county-market.dev/problems/")
