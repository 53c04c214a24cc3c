"""Problem codes: one pattern, and nobody invents an unregistered public `type` (pure)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import services
from shared import errors
from shared.errors import PROBLEMS, AppError, UnregisteredProblem, register_problem

REPO = Path(__file__).resolve().parent.parent


def _import_everything() -> None:
    for module in pkgutil.walk_packages(services.__path__, "services."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)


def test_a_class_with_an_unregistered_code_fails_when_it_is_defined():
    with pytest.raises(UnregisteredProblem):

        class Invented(AppError):
            code = "nobody-registered-this"


def test_an_unregistered_code_is_refused_when_raised():
    with pytest.raises(UnregisteredProblem):
        AppError("x", code="nobody-registered-this-either")
    assert "nobody-registered-this-either" not in PROBLEMS


def test_register_problem_takes_only_the_pattern_and_one_meaning():
    with pytest.raises(ValueError):
        register_problem("Catalog_Thing", 409, "x", "x")
    with pytest.raises(ValueError):
        register_problem("nodash", 409, "x", "x")
    with pytest.raises(ValueError):
        register_problem("test-ok", 200, "x", "x")
    code = register_problem("test-kernel-thing", 409, "A thing", "一件事")
    assert register_problem("test-kernel-thing", 409, "A thing", "一件事") == code
    with pytest.raises(ValueError):
        register_problem("test-kernel-thing", 422, "Another meaning", "另一个")


def test_every_service_code_follows_the_pattern():
    _import_everything()
    kernel = {code for code in PROBLEMS if "-" not in code or code.split("-")[0] not in _services()}
    for code in set(PROBLEMS) - kernel:
        assert errors.SERVICE_CODE.match(code), code


def _services() -> set[str]:
    return {p.name for p in (REPO / "services").iterdir() if (p / "__init__.py").exists()}


def test_every_literal_code_raised_in_the_services_is_registered():
    """`raise Conflict(..., code="x")` with a literal: x must be registered (string codes
    hidden in a call would otherwise only fail when that line runs)."""
    _import_everything()
    error_names = {cls.__name__ for cls in _subclasses(AppError)} | {"AppError"}
    unknown = []
    for path in (REPO / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in error_names:
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "code"
                    and isinstance(value, ast.Constant)
                    and value.value not in PROBLEMS
                ):
                    unknown.append(f"{path.relative_to(REPO)}:{node.lineno} {value.value}")
    assert unknown == []


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found
