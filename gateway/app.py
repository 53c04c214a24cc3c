"""All-in-one: every service's routes in one ASGI app under /v1/<service>/, one OpenAPI spec."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
from fastapi import FastAPI

from gateway.services import installed_services
from shared.auth.tokens import get_verifier
from shared.web import create_app


def build_app() -> FastAPI:
    names = installed_services()
    routers: list[Any] = []
    for name in names:
        routers.extend(importlib.import_module(f"services.{name}.app").routers)

    application = create_app(
        "County supply-chain marketplace",
        routers,
        names,
        description=(
            "Every service of the 县域供应链 marketplace under `/v1/<service>/`. Errors are "
            "RFC 9457 problem+json; money is integer fen; creating POSTs accept Idempotency-Key."
        ),
    )
    # In one process identity's JWKS is served by this very app: fetch it in-process.
    get_verifier().transport = httpx.ASGITransport(app=application)
    mount_console(application)
    return application


def mount_console(application: FastAPI) -> None:
    """The web console at /console: no database, no queue; it calls this app's API
    in-process, with the signed-in user's token, as any client does."""
    from services.console import api as console_api
    from services.console.app import app as console_app

    application.mount("/console", console_app)
    console_api.use_transport(httpx.ASGITransport(app=application))


app = build_app()
