"""The county's report: an XLSX workbook and a PDF (Chinese throughout, charts by matplotlib).

Chinese text needs a CJK font: the Debian package fonts-noto-cjk or fonts-wqy-microhei (or
INSIGHTS_CJK_FONT pointing at any TTF/OTF/TTC with Han glyphs), as delivery's documents do.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

# matplotlib, fpdf and openpyxl are imported where used: at module level they cost the
# all-in-one API 1.6 s of its start and ~40 MB, for a report a county asks for monthly.

CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
STATUS_ZH = {"met": "已达标", "on_track": "进度正常", "behind": "滞后", "no_target": "无目标"}
UNIT_ZH = {"count": "个", "percent": "%", "fen": "元"}
KIND_ZH = {
    "training": "培训",
    "new_shops": "新开网店",
    "leaders": "带头人",
    "media_reports": "媒体报道",
}


def font_path() -> str | None:
    configured = os.environ.get("INSIGHTS_CJK_FONT")
    for candidate in ((configured,) if configured else ()) + CJK_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return None


def shown(figure: dict[str, Any], key: str = "value") -> str:
    value = figure.get(key)
    if value is None:
        return "—"
    if figure["unit"] == "fen":
        return f"¥{value / 100:,.2f}"
    if figure["unit"] == "percent":
        return f"{value:.2f}%"
    return f"{value:g}"


def workbook(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标汇总"
    title = f"{report['region_name']} 电子商务进农村综合示范 绩效指标（{report['year']}年）"
    if report.get("snapshot"):
        snap = report["snapshot"]
        title += f" 快照：{snap['label']}（{snap['taken_at']} 冻结）"
    ws.append([title])
    ws.append(["指标", "完成值", "目标值", "状态", "计算口径"])
    for f in report["figures"]:
        ws.append([f["title"], shown(f), shown(f, "target"), STATUS_ZH[f["status"]], f["how"]])
    by_name = {f["name"]: f for f in report["figures"]}
    sheet = wb.create_sheet("企业网络销售额")
    sheet.append(["供应商", "乡镇", "销售额（元）"])
    for e in by_name["enterprise_sales"]["detail"]["enterprises"]:
        sheet.append([e["name"], e["township"], e["current_fen"] / 100])
    sheet = wb.create_sheet("品牌产品")
    sheet.append(["产品", "品牌", "本期（元）", "上年同期（元）", "同比（%）"])
    for p in by_name["brand_growth"]["detail"]["products"]:
        sheet.append(
            [
                p["name"],
                p["brand"],
                p["current_fen"] / 100,
                p["previous_fen"] / 100,
                p["growth_percent"],
            ]
        )
    sheet = wb.create_sheet("服务站交易上报")
    sheet.append(["月份", "上报站点数", "订单数", "订单额（元）"])
    for m in by_name["stations_reporting"]["detail"]["months"]:
        sheet.append([m["month"][:7], m["stations"], m["orders"], m["amount_fen"] / 100])
    sheet = wb.create_sheet("共同配送")
    sheet.append(["月份", "配送成本（元）", "包裹数", "单件成本（元）"])
    for m in by_name["cost_per_parcel"]["detail"]["months"]:
        per = m["per_parcel_fen"]
        sheet.append(
            [m["month"][:7], m["cost_fen"] / 100, m["parcels"], per / 100 if per else None]
        )
    sheet = wb.create_sheet("证明材料")
    sheet.append(["类别", "日期", "事项", "数量", "文件"])
    for r in report["records"]:
        sheet.append(
            [
                KIND_ZH.get(r["kind"], r["kind"]),
                r["on_date"],
                r["title"],
                r["value"],
                "、".join(e["filename"] for e in r["evidence"]),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _chart(title: str, labels: list[str], values: list[float], ylabel: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    path = font_path()
    props = font_manager.FontProperties(fname=path) if path else None
    fig, ax = plt.subplots(figsize=(7, 2.6), dpi=110)
    ax.plot(labels, values, marker="o")
    ax.set_title(title, fontproperties=props)
    ax.set_ylabel(ylabel, fontproperties=props)
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def pdf(report: dict[str, Any], evidence_images: dict[str, bytes]) -> bytes:
    from fpdf import FPDF

    doc = FPDF(format="A4")
    path = font_path()
    family = "body" if path else "helvetica"
    if path:
        doc.add_font("body", fname=path)
    doc.set_font(family, size=10)
    doc.add_page()
    doc.set_font_size(15)
    doc.multi_cell(
        0,
        9,
        f"{report['region_name']}电子商务进农村综合示范\n绩效评价指标报告（{report['year']}年）",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.set_font_size(9)
    snap = report.get("snapshot")
    doc.cell(
        0,
        6,
        f"快照：{snap['label']}，数据冻结于 {snap['taken_at']}（生成于 {report['generated_at']}）"
        if snap
        else f"数据截至：{report['generated_at']}（平台事件实时汇总）",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.ln(2)
    doc.set_font_size(10)
    widths = (62, 34, 34, 22)
    for text, w in zip(("指标", "完成值", "目标值", "状态"), widths, strict=True):
        doc.cell(w, 7, text, border=1)
    doc.ln()
    for f in report["figures"]:
        cells = (f["title"], shown(f), shown(f, "target"), STATUS_ZH[f["status"]])
        for text, w in zip(cells, widths, strict=True):
            doc.cell(w, 7, text[:30], border=1)
        doc.ln()
    doc.add_page()
    doc.set_font_size(12)
    doc.cell(0, 8, "计算口径", new_x="LMARGIN", new_y="NEXT")
    doc.set_font_size(9)
    for f in report["figures"]:
        doc.multi_cell(0, 5, f"{f['title']}：{f['how']}", new_x="LMARGIN", new_y="NEXT")
    by_name = {f["name"]: f for f in report["figures"]}
    doc.add_page()
    doc.set_font_size(12)
    doc.cell(0, 8, "趋势", new_x="LMARGIN", new_y="NEXT")
    stations = by_name["stations_reporting"]["detail"]["months"]
    cost = by_name["cost_per_parcel"]["detail"]["months"]
    delivery = by_name["delivery_24h"]["detail"]["months"]
    charts = [
        (
            "服务站月度订单额（元）",
            [m["month"][:7] for m in stations],
            [m["amount_fen"] / 100 for m in stations],
            "元",
        ),
        (
            "上报交易的服务站数",
            [m["month"][:7] for m in stations],
            [m["stations"] for m in stations],
            "个",
        ),
        (
            "单件配送成本（元）",
            [m["month"][:7] for m in cost],
            [(m["per_parcel_fen"] or 0) / 100 for m in cost],
            "元",
        ),
        (
            "24小时送达率（%）",
            [m["month"][:7] for m in delivery],
            [m["within"] * 100 / m["timed"] if m["timed"] else 0 for m in delivery],
            "%",
        ),
    ]
    for title, labels, values, unit in charts:
        if labels:
            doc.image(io.BytesIO(_chart(title, labels, values, unit)), w=180)
    doc.add_page()
    doc.set_font_size(12)
    doc.cell(0, 8, "附件：证明材料", new_x="LMARGIN", new_y="NEXT")
    doc.set_font_size(9)
    for r in report["records"]:
        doc.multi_cell(
            0,
            5,
            f"{r['on_date']} {KIND_ZH.get(r['kind'], r['kind'])}：{r['title']}（{r['value']}）",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for e in r["evidence"]:
            doc.cell(
                0,
                5,
                f"    · {e['filename']}  sha256 {e['sha256'][:16]}…",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            image = evidence_images.get(e["id"])
            if image is not None:
                try:
                    doc.image(io.BytesIO(image), w=80)
                except Exception:  # a file that only looks like an image: listed, not shown
                    doc.cell(0, 5, "    （图片无法显示，见原文件）", new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
