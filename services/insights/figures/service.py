"""The programme's figures, computed from the read model's roll-ups."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.db import kernel
from services.insights.figures.repository import FiguresRepository, Filters
from services.insights.figures.rules import (
    ENTERPRISE_THRESHOLD_FEN,
    TARGETS,
    Figure,
    growth_percent,
    judged,
)
from services.insights.problems import UNKNOWN_FIGURE
from services.insights.readmodel.rules import WITHIN_HOURS
from shared.auth.principal import Principal
from shared.errors import Forbidden, NotFound
from shared.settings import get_settings

FIGURE_NAMES = tuple(TARGETS)


def ensure_county_reader(principal: Principal, region_id: uuid.UUID) -> None:
    """The region's operator or a platform admin. A member of another organisation of the
    county sees that the county exists but may not read its figures (403); anyone else
    does not see the county at all (404)."""
    if principal.platform_admin or principal.is_operator_of(region_id):
        return
    if any(m.region_id == region_id for m in principal.memberships):
        raise Forbidden("Only the county's operator reads the programme's figures")
    raise NotFound("No such region")


def _fen(value: Any) -> int:
    return int(value or 0)


def _reads() -> str:
    """The read pool's database (the API's reads: they write nothing)."""
    return get_settings().database_url_for(kernel.name)


async def compute(
    session: AsyncSession,
    f: Filters,
    *,
    today: date | None = None,
    read_url: str | None = None,
) -> dict[str, Figure]:
    """Every figure for the filters (no authorisation: callers check it), from one
    statement: on the session, or on the read pool at `read_url`."""
    data = await FiguresRepository(session, read_url).dashboard(f)
    timezone, saved_targets, national_bp = data.timezone, data.targets, data.national_bp
    today = today or datetime.now(ZoneInfo(timezone or "Asia/Shanghai")).date()
    elapsed = f.period.elapsed(today)
    targets = dict(saved_targets) if saved_targets else {}
    figures: dict[str, Figure] = {}

    def add(name: str, title: str, value: float | None, how: str, **kw: Any) -> None:
        figures[name] = judged(name, title, value, how, elapsed=elapsed, targets=targets, **kw)

    supply = data.supply

    # ---- public brand
    brand_products = data.brand_products
    add(
        "brand_products",
        "区域公共品牌产品数",
        len(brand_products),
        "catalog.product.published/updated/delisted：当前在售且带区域公共品牌的产品数",
        detail={
            "products": [
                {"product_id": p.product_id, "name": p.name, "brand": p.brand}
                for p in brand_products
            ]
        },
    )
    per_product: dict[Any, dict[str, Any]] = {}
    for row in supply:
        if not row.brand:
            continue
        entry = per_product.setdefault(
            row.product_id,
            {
                "product_id": row.product_id,
                "name": row.product_name,
                "brand": row.brand,
                "current_fen": 0,
                "previous_fen": 0,
            },
        )
        entry["current_fen"] += _fen(row.current)
        entry["previous_fen"] += _fen(row.previous)
    for entry in per_product.values():
        entry["growth_percent"] = growth_percent(entry["current_fen"], entry["previous_fen"])
    brand_now = sum(e["current_fen"] for e in per_product.values())
    brand_before = sum(e["previous_fen"] for e in per_product.values())
    add(
        "brand_growth",
        "品牌产品销售额同比增长",
        growth_percent(brand_now, brand_before),
        "repository.order.placed 的品牌产品行金额，减去 line_shortened 与取消订单；与上年同期同月份相比",
        detail={
            "current_fen": brand_now,
            "previous_fen": brand_before,
            "products": sorted(per_product.values(), key=lambda e: -e["current_fen"]),
        },
    )

    # ---- enterprises
    per_supplier: dict[Any, dict[str, Any]] = {}
    for row in supply:
        entry = per_supplier.setdefault(
            row.supplier_id,
            {
                "supplier_id": row.supplier_id,
                "name": row.supplier_name,
                "township": row.township,
                "current_fen": 0,
                "previous_fen": 0,
                "households": bool(row.households),
                "branded": False,
            },
        )
        entry["current_fen"] += _fen(row.current)
        entry["previous_fen"] += _fen(row.previous)
        entry["branded"] = entry["branded"] or bool(row.brand)
    enterprises = sorted(per_supplier.values(), key=lambda e: -e["current_fen"])
    reaching = [e for e in enterprises if e["current_fen"] >= ENTERPRISE_THRESHOLD_FEN]
    add(
        "enterprise_sales",
        "网络销售额达20万元的企业数",
        len(reaching),
        "按供应商汇总订单行净额（下单减缺货、减取消），统计期内≥¥200,000的企业数",
        detail={
            "threshold_fen": ENTERPRISE_THRESHOLD_FEN,
            "enterprises": [
                {k: e[k] for k in ("supplier_id", "name", "township", "current_fen")}
                for e in enterprises
                if e["current_fen"] > 0
            ],
        },
    )

    # ---- households
    household_fen = sum(e["current_fen"] for e in enterprises if e["households"])
    add(
        "household_sales",
        "带动脱贫户与监测对象销售额",
        household_fen,
        "suppliers.supplier.* 中有户联结（本人、收购或合作社带动）的供应商的订单行净额",
        detail={
            "suppliers": sum(1 for e in enterprises if e["households"] and e["current_fen"] > 0)
        },
    )

    # ---- traceability
    traced = [e for e in enterprises if e["branded"] and e["current_fen"] > 0]
    add(
        "traceability",
        "纳入溯源体系且有销售的企业与合作社数",
        len(traced),
        "持品牌授权（品牌产品须有批次溯源）且统计期内有销售的供应商数",
        detail={
            "enterprises": [{"supplier_id": e["supplier_id"], "name": e["name"]} for e in traced]
        },
    )

    # ---- livestream
    sessions, session_gmv, peak, gmv, gmv_before, stream_lines = data.livestream
    add(
        "livestream",
        "直播基地同时在播场次峰值",
        peak,
        "livestream.session.* 的开播与下播时间求同时在播的最大场次；"
        "GMV 为 livestream.sale_line(s).recorded 的实付减退款（按版本取最新，退款冲减）",
        detail={
            "sessions": sessions,
            "gmv_fen": gmv,
            "gmv_previous_fen": gmv_before,
            "sale_lines": stream_lines,
            "sessions_gmv_fen": session_gmv,
        },
    )

    # ---- common delivery
    deliveries = data.deliveries
    carriers = sorted({r.carrier for r in deliveries if r.carrier and r.delivered})
    add(
        "carriers",
        "共同配送网络快递品牌数",
        len(carriers),
        "delivery.parcel.delivered 中出现的承运快递品牌（去重）",
        detail={"carriers": carriers},
    )
    parcel_months: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in deliveries:
        counts = parcel_months[r.month]
        counts[0] += _fen(r.delivered)
        counts[1] += _fen(r.timed)
        counts[2] += _fen(r.within)
    timed = sum(v[1] for v in parcel_months.values())
    within = sum(v[2] for v in parcel_months.values())
    add(
        "delivery_24h",
        "县级发车后24小时内送达村级的比例",
        round(within * 100 / timed, 2) if timed else None,
        f"delivery.parcel.delivered：送达时间减所在配送任务的发车时间 ≤ {WITHIN_HOURS} 小时的包裹占比",
        detail={
            "timed": timed,
            "within": within,
            "months": [
                {"month": m, "delivered": v[0], "timed": v[1], "within": v[2]}
                for m, v in sorted(parcel_months.items())
            ],
        },
    )
    runs = data.runs
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    upstream = {"runs": 0, "weight_g": 0}
    downstream = {"runs": 0, "weight_g": 0, "parcels": 0}
    for run in runs:
        by_month[run.month][0] += _fen(run.cost)
        by_month[run.month][1] += _fen(run.parcels)
        side = upstream if run.kind == "collection" else downstream
        side["runs"] += run.runs
        side["weight_g"] += _fen(run.weight_g)
        if side is downstream:
            downstream["parcels"] += _fen(run.parcels)
    cost_total = sum(v[0] for v in by_month.values())
    carried = sum(v[1] for v in by_month.values())
    add(
        "cost_per_parcel",
        "单件配送成本",
        round(cost_total / carried) if carried else None,
        "delivery.run.completed 的车辆单趟成本之和 ÷ 完成任务所载包裹数；按月给出趋势",
        detail={
            "months": [
                {
                    "month": m,
                    "cost_fen": v[0],
                    "parcels": v[1],
                    "per_parcel_fen": round(v[0] / v[1]) if v[1] else None,
                }
                for m, v in sorted(by_month.items())
            ],
            "upstream": upstream,
            "downstream": downstream,
        },
    )

    # ---- stations
    stations, stations_before = data.stations, data.stations_before
    add(
        "stations_reporting",
        "每月有交易上报的村级服务站数（月均）",
        round(sum(r.stations for r in stations) / len(stations), 1) if stations else 0,
        "repository.order.placed 的买方为服务站，按当地月份统计下单的站点数与订单净额",
        detail={
            "months": [
                {
                    "month": r.month,
                    "stations": r.stations,
                    "orders": _fen(r.orders),
                    "amount_fen": _fen(r.amount),
                }
                for r in stations
            ]
        },
    )

    # ---- growth
    up_now = sum(_fen(r.current) for r in supply) + gmv
    up_before = sum(_fen(r.previous) for r in supply) + gmv_before
    down_now = sum(_fen(r.amount) for r in stations)
    down_before = sum(_fen(r.amount) for r in stations_before)
    national = national_bp / 100 if national_bp is not None else None
    add(
        "growth",
        "农产品网络零售额（上行）同比增长",
        growth_percent(up_now, up_before),
        "上行＝本县供应商订单行净额＋直播GMV；下行＝服务站采购净额；均与上年同期比；目标为运营方录入的全国农村平均增速",
        target=national,
        detail={
            "upstream_fen": up_now,
            "upstream_previous_fen": up_before,
            "downstream_fen": down_now,
            "downstream_previous_fen": down_before,
            "downstream_growth_percent": growth_percent(down_now, down_before),
            "national_rural_growth_percent": national,
        },
    )

    # ---- recorded by the operator
    recorded = data.recorded
    sessions_n, attendees, advanced = recorded.get("training", (0, 0, 0))
    add(
        "training",
        "培训人次",
        attendees,
        "运营方录入的培训记录（附证明材料）之人数合计",
        detail={"sessions": sessions_n},
    )
    add(
        "training_advanced",
        "其中：提升培训人次",
        advanced,
        "运营方录入的培训记录中提升培训人数合计",
    )
    for name, title in (
        ("new_shops", "新开网店数"),
        ("leaders", "带头人数"),
        ("media_reports", "媒体报道数"),
    ):
        n, total, _ = recorded.get(name, (0, 0, 0))
        add(name, title, total, "运营方录入（附证明材料）之合计", detail={"entries": n})
    return figures


def _view(figure: Figure) -> dict[str, Any]:
    """A figure as the API shows it (`Figure`: value and target are numbers with a
    fraction, as pydantic wrote them)."""
    view = figure.as_dict()
    for key in ("value", "target"):
        if view[key] is not None:
            view[key] = float(view[key])
    return view


async def dashboard(session: AsyncSession, principal: Principal, f: Filters) -> dict[str, Any]:
    """The `Dashboard`, read in one statement on the read pool."""
    ensure_county_reader(principal, f.region_id)
    figures = await compute(session, f, read_url=_reads())
    return {
        "region_id": str(f.region_id),
        "year": f.period.year,
        "months": [f.period.first_month, f.period.last_month],
        "township": f.township,
        "supplier_id": str(f.supplier_id) if f.supplier_id else None,
        "product_id": str(f.product_id) if f.product_id else None,
        "figures": [_view(fig) for fig in figures.values()],
    }


async def one_figure(
    session: AsyncSession, principal: Principal, f: Filters, name: str
) -> dict[str, Any]:
    ensure_county_reader(principal, f.region_id)
    if name not in TARGETS:
        raise NotFound(f"There is no figure {name!r}", code=UNKNOWN_FIGURE)
    return (await compute(session, f, read_url=_reads()))[name].as_dict()


async def households(
    session: AsyncSession, principal: Principal, f: Filters
) -> list[dict[str, Any]]:
    """The suppliers with household links and their sales (the operator's eyes only)."""
    ensure_county_reader(principal, f.region_id)
    rows: dict[Any, dict[str, Any]] = {}
    for row in await FiguresRepository(session, _reads()).supply(f):
        if not row.households:
            continue
        entry = rows.setdefault(
            row.supplier_id,
            {
                "supplier_id": str(row.supplier_id),
                "name": row.supplier_name,
                "township": row.township,
                "poverty_alleviated": row.poverty_alleviated,
                "monitored": row.monitored,
                "sales_fen": 0,
            },
        )
        entry["sales_fen"] += _fen(row.current)
    return sorted(rows.values(), key=lambda e: -e["sales_fen"])
