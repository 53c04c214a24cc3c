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


# Two read or write models of one name in different modules: FastAPI then names both by
# their module path (`services__catalog__products__schemas__ImportReport`), and generated
# clients get unusable type names. None is allowed (do not add to it).
KNOWN_DUPLICATE_SCHEMA_NAMES: set[str] = set()


async def test_schema_names_are_unique_across_the_combined_spec(client):
    spec = (await client.get("/openapi.json")).json()
    duplicated = {
        name.rsplit("__", 1)[-1]
        for name in spec["components"]["schemas"]
        if name.startswith("services__")
    }
    assert duplicated <= KNOWN_DUPLICATE_SCHEMA_NAMES, sorted(duplicated)
    names = set(spec["components"]["schemas"])
    # read schemas are `X`, write schemas `XCreate` (identity, delivery and suppliers converged)
    old = {"MembershipView", "NotificationView", "ContactView", "CapacityView"}
    old |= {"HouseholdLinkView", "StopView", "VehicleView", "RouteView", "RouteStopView"}
    old |= {"RunView", "RunStopView", "ParcelView", "TripView", "ReviewView", "RouteDayView"}
    old |= {"CarrierParcelIn", "HouseholdLinkIn"}
    assert not old & names, sorted(old & names)
    assert {"Membership", "Run", "Parcel", "Stop", "Route", "AddressReview", "Contact"} <= names
    assert {"Notification", "ExpiryNotification", "InboxNotification"} <= names
    assert {"NetworkImportReport", "ProductImportReport", "SalesImportReport"} <= names
    # one pattern everywhere: no `…View`, `…In` or `…Out` schema is left in any service
    leftover = {n for n in names if n.endswith(("View", "In", "Out"))}
    assert not leftover, sorted(leftover)


def _resolve(spec, schema):
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


def _has_example(spec, schema) -> bool:
    schema = _resolve(spec, schema)
    if any(k in schema for k in ("examples", "example", "default", "enum", "const")):
        return True
    if any(_has_example(spec, s) for k in ("anyOf", "oneOf", "allOf") for s in schema.get(k, [])):
        return True
    if schema.get("type") == "array" and "items" in schema:
        return _has_example(spec, schema["items"])
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    return bool(properties) and all(_has_example(spec, properties[p]) for p in required)


async def test_every_json_request_body_shows_an_example(client):
    """Mobile developers read the spec: every required field of a body has an example (or a
    default, or an enumeration). Services are added here as they converge."""
    spec = (await client.get("/openapi.json")).json()
    missing = []
    for path, item in spec["paths"].items():
        if not path.startswith(
            (
                "/v1/identity/",
                "/v1/delivery/",
                "/v1/suppliers/",
                "/v1/repository/",
                "/v1/payments/",
                "/v1/livestream/",
                "/v1/catalog/",
                "/v1/insights/",
            )
        ):
            continue
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is not None and not _has_example(spec, schema):
                missing.append(f"{method.upper()} {path}")
    assert missing == []
