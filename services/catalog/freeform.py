"""Free-form JSON fields (product attributes, certificate and trace event details): bounded.

A value nested hundreds of levels deep used to reach the JSON encoder of the database
driver and fail there (a 500). The bounds are checked without recursion, so any depth is
a 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

MAX_DEPTH = 5  # {"a": {"b": [ ... ]}}: the object itself is level 1
MAX_ITEMS = 200  # keys and list items, counted over the whole value
MAX_KEY_CHARS = 64
MAX_TEXT_CHARS = 2000


def check_bounded(value: dict[str, Any]) -> dict[str, Any]:
    items = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
            items += len(node)
            if items > MAX_ITEMS:
                raise ValueError(f"more than {MAX_ITEMS} keys and items in all")
            if isinstance(node, dict):
                for key, child in node.items():
                    if len(key) > MAX_KEY_CHARS:
                        raise ValueError(f"a key is longer than {MAX_KEY_CHARS} characters")
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in node)
        elif isinstance(node, str) and len(node) > MAX_TEXT_CHARS:
            raise ValueError(f"a text is longer than {MAX_TEXT_CHARS} characters")
    return value


FREE_FORM_DESCRIPTION = (
    f"Free-form JSON object: at most {MAX_DEPTH} levels deep, {MAX_ITEMS} keys and items in "
    f"all, keys up to {MAX_KEY_CHARS} and texts up to {MAX_TEXT_CHARS} characters"
)

FreeForm = Annotated[
    dict[str, Any],
    AfterValidator(check_bounded),
    Field(description=FREE_FORM_DESCRIPTION),
]
