"""The printable 合格证 (fpdf2; QR code by segno), carried with the goods.

Chinese text needs a CJK font, found the way services/delivery/runs/documents.py finds it:
CATALOG_CJK_FONT (any TTF/OTF/TTC with Han glyphs), else Noto Sans CJK (Debian
fonts-noto-cjk) or WenQuanYi Micro Hei (fonts-wqy-microhei). Without one, DejaVu Sans is
used and Han characters print as blanks, so the setup should install one of them.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import segno

CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def font_path() -> str | None:
    configured = os.environ.get("CATALOG_CJK_FONT")
    for candidate in ((configured,) if configured else ()) + CJK_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return None


def compliance_pdf(
    *, number: str, details: dict[str, Any], qr_text: str, lot_code: str | None
) -> bytes:
    """One A6 page: title, the producer's fields, 承诺依据 with ticks, commitments, QR."""
    from fpdf import FPDF  # lazily: keeps the app's start-up light

    pdf = FPDF(format=(105, 148))  # A6
    pdf.set_auto_page_break(auto=True, margin=6)
    pdf.set_margins(7, 7, 7)
    path = font_path()
    family = "body" if path else "helvetica"
    if path:
        pdf.add_font("body", fname=path)
    pdf.add_page()
    pdf.set_font(family, size=13)
    pdf.cell(0, 8, "食用农产品承诺达标合格证", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=7)
    pdf.cell(0, 4, f"编号 {number}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    qr = io.BytesIO()
    segno.make(qr_text, error="m").save(qr, kind="png", scale=4, border=1)
    qr.seek(0)
    qr_x = pdf.w - pdf.r_margin - 26
    pdf.image(qr, x=qr_x, y=pdf.get_y(), w=26, h=26)

    pdf.set_font(family, size=8.5)
    rows = [
        ("食用农产品名称", details.get("product_name", "")),
        ("数量（重量）", details.get("quantity", "")),
        ("生产者盖章或签名", details.get("producer", "")),
        ("联系方式", details.get("contact", "")),
        ("产地", details.get("address") or ""),
        ("开具日期", str(details.get("issued_on", ""))),
    ]
    if lot_code:
        rows.append(("批次", lot_code))
    width = qr_x - pdf.l_margin - 2
    for label, value in rows:
        pdf.multi_cell(width, 4.6, f"{label}：{value}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), 7 + 14 + 28))
    pdf.ln(1)
    chosen = set(details.get("basis") or ())
    from services.catalog.certificates.schemas import COMMITMENT_BASES

    ticks = "  ".join(f"{'■' if b in chosen else '□'} {b}" for b in COMMITMENT_BASES)
    pdf.multi_cell(0, 4.6, "承诺依据：", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 4.6, ticks, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.multi_cell(0, 4.6, "我承诺对生产销售的食用农产品：", new_x="LMARGIN", new_y="NEXT")
    for commitment in details.get("commitments") or ():
        pdf.multi_cell(0, 4.6, f"· {commitment}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(family, size=6.5)
    pdf.multi_cell(0, 3.5, f"扫码查看追溯信息：{qr_text}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
