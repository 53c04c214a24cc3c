"""The vendored htmx is the pinned npm package's file, byte for byte."""

from __future__ import annotations

import hashlib
import json

from services.console.web import HERE


def test_vendored_htmx_matches_its_pinned_sha256():
    pin = json.loads((HERE / "static" / "htmx.json").read_text())
    assert pin["package"] == "htmx.org" and pin["version"] == "2.0.11"
    assert pin["integrity"].startswith("sha512-")
    data = (HERE / "static" / "htmx.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == pin["sha256"]
    assert b"htmx" in data[:2000]
