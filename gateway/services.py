"""The services this deployment runs, in migration order."""

from shared.settings import REPO_ROOT

SERVICES = [
    "identity",
    "catalog",
    "suppliers",
    "repository",
    "payments",
    "delivery",
    "livestream",
    "insights",
]


def installed_services() -> list[str]:
    return [s for s in SERVICES if (REPO_ROOT / "services" / s / "app.py").exists()]
