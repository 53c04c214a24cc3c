"""The combined OpenAPI spec that mobile developers generate their clients from."""

from __future__ import annotations

from gateway.services import installed_services


async def test_combined_spec_lists_every_service_with_unique_operation_ids(client):
    r = await client.get("/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.1")
    paths = spec["paths"]
    for service in installed_services():
        assert any(p.startswith(f"/v1/{service}/") for p in paths), service
    operation_ids = [
        op["operationId"] for item in paths.values() for op in item.values() if "operationId" in op
    ]
    assert len(operation_ids) == len(set(operation_ids))


async def test_write_schemas_forbid_unknown_fields_in_the_spec(client):
    spec = (await client.get("/openapi.json")).json()
    schema = spec["components"]["schemas"]["LoginRequest"]
    assert schema.get("additionalProperties") is False
