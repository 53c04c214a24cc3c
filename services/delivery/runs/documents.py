"""Printable run manifest and parcel labels (fpdf2; QR codes by segno).

Chinese text needs a CJK font: the Debian package fonts-noto-cjk (or DELIVERY_CJK_FONT
pointing at any TTF/OTF/TTC with Han glyphs). Without one, DejaVu Sans is used and Han
characters print as blanks, so the setup should install fonts-noto-cjk.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import segno

from services.delivery.runs.models import Parcel, Run

CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)

if TYPE_CHECKING:
    from fpdf import FPDF


def font_path() -> str | None:
    configured = os.environ.get("DELIVERY_CJK_FONT")
    for candidate in ((configured,) if configured else ()) + CJK_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return None


def _document() -> FPDF:
    from fpdf import FPDF  # lazily: keeps the app's start-up light

    pdf = FPDF(format="A4")
    path = font_path()
    if path:
        pdf.add_font("body", fname=path)
        pdf.set_font("body", size=10)
    else:
        pdf.set_font("helvetica", size=10)
    return pdf


def manifest_pdf(run: Run, route_name: str, parcels: Sequence[Parcel], stop_names: dict) -> bytes:
    """The run's manifest: header with totals, then parcels by stop in driving order."""
    pdf = _document()
    pdf.add_page()
    pdf.set_font_size(14)
    pdf.cell(
        0,
        8,
        f"{route_name}  {run.delivery_date.isoformat()}  #{run.trip}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font_size(10)
    pdf.cell(
        0,
        6,
        f"parcels {len(parcels)}  weight {run.weight_g / 1000:.1f} kg  "
        f"volume {run.volume_cm3 / 1000:.1f} L{'  OVERLOADED' if run.overloaded else ''}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    for parcel in sorted(parcels, key=lambda p: (p.stop_sequence, p.tracking_number)):
        cod = f"COD {parcel.cod_amount_fen / 100:.2f}" if parcel.cod_amount_fen else ""
        pdf.cell(
            0,
            6,
            f"{parcel.stop_sequence:>3}  {stop_names.get(parcel.stop_id, '')}  "
            f"{parcel.tracking_number}  {parcel.weight_g / 1000:.1f} kg  "
            f"{'chilled ' if parcel.chilled else ''}{cod}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


def labels_pdf(parcels: Sequence[Parcel], stop_names: dict) -> bytes:
    """One label per page (100 x 70 mm) with the tracking number as a QR code."""
    from fpdf import FPDF  # lazily: keeps the app's start-up light

    pdf = FPDF(format=(100, 70))
    path = font_path()
    if path:
        pdf.add_font("body", fname=path)
    for parcel in parcels:
        pdf.add_page()
        pdf.set_font("body" if path else "helvetica", size=12)
        qr = io.BytesIO()
        segno.make(parcel.tracking_number, error="m").save(qr, kind="png", scale=4)
        qr.seek(0)
        pdf.image(qr, x=62, y=8, w=32, h=32)
        pdf.set_xy(6, 8)
        pdf.multi_cell(
            54,
            7,
            f"{parcel.tracking_number}\n{stop_names.get(parcel.stop_id, '')}\n"
            f"{parcel.delivery_date.isoformat()}  #{parcel.stop_sequence}",
        )
    return bytes(pdf.output())
