"""QR codes that point at a lot's public trace page."""

from __future__ import annotations

import io

import segno

from shared.settings import get_settings


def trace_url(code: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/v1/catalog/trace/{code}"


def qr_png(code: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(trace_url(code), error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(code: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(trace_url(code), error="m").save(
        buffer, kind="svg", scale=scale, border=2, xmldecl=True, title=f"Trace {code}"
    )
    return buffer.getvalue()
