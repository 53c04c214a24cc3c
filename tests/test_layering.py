"""Layering the import linter cannot express: nothing outside shared/ commits (requests,
jobs and event handlers commit once, in shared/web.py, shared/tasks.py and shared/events.py).
Pure: `COUNTY_TEST_NO_STACK=1` runs it alone."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Existing commits their owners move into shared's units of work. Do not add to it.
KNOWN = {
    "services/repository/purchasing/tasks.py",  # a job's lock-holding sessions
    "services/insights/readmodel/ingest.py",
    "services/insights/__main__.py",  # a command-line tool
}


def commits_in(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit"
            and not node.args
        ):
            lines.append(node.lineno)
    return lines


def test_nothing_in_the_services_commits():
    found = {}
    for path in sorted((REPO / "services").rglob("*.py")):
        relative = str(path.relative_to(REPO))
        if relative in KNOWN or "/migrations/" in relative:
            continue
        if lines := commits_in(path):
            found[relative] = lines
    assert found == {}, f"commit outside shared/: {found}"


def test_the_known_exceptions_still_exist():
    # an exception that went away leaves the list
    for relative in KNOWN:
        assert (REPO / relative).exists() and commits_in(REPO / relative), relative


def classes_in(path: Path) -> list[str]:
    return [n.name for n in ast.parse(path.read_text()).body if isinstance(n, ast.ClassDef)]


def test_endpoints_declare_no_schemas():
    # request and response models live in the sub-domain's schemas.py, where the service
    # layer and other endpoints find them (STYLE: schemas are pydantic, never in endpoints)
    found = {}
    for path in sorted((REPO / "services").rglob("endpoints.py")):
        if names := classes_in(path):
            found[str(path.relative_to(REPO))] = names
    assert found == {}, f"classes declared in endpoints: {found}"
