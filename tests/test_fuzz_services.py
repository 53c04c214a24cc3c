"""Generated requests (schemathesis, from the combined OpenAPI spec) to every service but
identity (tests/identity/test_fuzz.py) never get a 5xx, and every error is problem+json."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from gateway.app import app
from tests.identity.test_fuzz import operator_headers  # noqa: F401  (fixture)

schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.include(
    path_regex="^/v1/(suppliers|catalog|repository|payments|delivery|livestream|insights)/"
).parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_service_apis_answer_generated_requests_without_server_errors(case, operator_headers):  # noqa: F811
    response = case.call(headers=operator_headers)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
    if response.status_code >= 400:
        content_type = response.headers.get("content-type") or [""]
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), response.text
