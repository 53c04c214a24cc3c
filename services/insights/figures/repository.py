"""SQL over the read model's roll-ups for the figures (never commits).

The dashboard is one statement (`DASHBOARD_SQL`): one CTE per figure's aggregate over the
roll-ups, each folded into a JSON array, and a single row back: no transaction, no ORM
objects, the JSON parsed by orjson. `services.insights.figures.service.compute` shapes it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Date, String, Uuid, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.figures.rules import Period
from shared.db import read_pool


@dataclass(frozen=True)
class Filters:
    region_id: uuid.UUID
    period: Period
    township: str | None = None
    supplier_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None


class SupplyRow(NamedTuple):
    """Net sales of one variant: this period, the same months a year before."""

    supplier_id: str
    product_id: str | None
    product_name: str | None
    brand: str | None
    supplier_name: str | None
    township: str | None
    households: bool
    poverty_alleviated: int
    monitored: int
    current: int
    previous: int
    lines: int


class BrandProduct(NamedTuple):
    product_id: str
    name: str | None
    brand: str


class StationMonth(NamedTuple):
    month: str  # ISO date of the month's first day
    stations: int
    amount: int
    orders: int


class DeliveryMonth(NamedTuple):
    month: str
    carrier: str
    delivered: int
    timed: int
    within: int


class RunMonth(NamedTuple):
    month: str
    kind: str | None
    runs: int
    cost: int
    parcels: int
    weight_g: int


class Livestream(NamedTuple):
    sessions: int
    sessions_gmv: int
    peak: int
    gmv: int
    gmv_before: int
    lines: int


@dataclass(frozen=True)
class Dashboard:
    """Everything the figures are computed from, as the one statement returned it."""

    timezone: str | None
    targets: dict[str, Any] | None
    national_bp: int | None
    supply: list[SupplyRow]
    brand_products: list[BrandProduct]
    stations: list[StationMonth]
    stations_before: list[StationMonth]
    deliveries: list[DeliveryMonth]
    runs: list[RunMonth]
    livestream: Livestream
    recorded: dict[str, tuple[int, int, int]]


# Optional filters are `(:x IS NULL OR col = :x)`: one statement (one prepared plan) for
# every combination. The months are first-of-month dates, as the roll-ups key them.
SUPPLY_CTES = """
links AS (
  SELECT supplier_id,
    count(*) FILTER (WHERE (ended_on IS NULL OR ended_on >= :cur_start)
                     AND household_kind = 'poverty_alleviated') AS pa,
    count(*) FILTER (WHERE (ended_on IS NULL OR ended_on >= :cur_start)
                     AND household_kind = 'monitored') AS mon
  FROM insights.household_links WHERE region_id = :region GROUP BY supplier_id
),
per_variant AS (
  -- sum the months first (a few rows per variant), then name what is left
  SELECT variant_id, supplier_id,
    sum(amount_fen) FILTER (WHERE month BETWEEN :cur_start AND :cur_end) AS current,
    sum(amount_fen) FILTER (WHERE month BETWEEN :prev_start AND :prev_end) AS previous,
    sum(lines) FILTER (WHERE month BETWEEN :cur_start AND :cur_end) AS lines
  FROM insights.sales_by_variant
  WHERE region_id = :region AND month BETWEEN :prev_start AND :cur_end
    AND (month <= :prev_end OR month >= :cur_start)
    AND (:supplier IS NULL OR supplier_id = :supplier)
  GROUP BY variant_id, supplier_id
),
supply AS (
  SELECT v.supplier_id, va.product_id, p.name AS product_name, p.brand,
    s.name AS supplier_name, s.township,
    (coalesce(s.supports_households, false)
      OR coalesce(l.pa, 0) + coalesce(l.mon, 0) > 0) AS households,
    coalesce(l.pa, 0) AS poverty_alleviated, coalesce(l.mon, 0) AS monitored,
    coalesce(v.current, 0) AS current, coalesce(v.previous, 0) AS previous,
    coalesce(v.lines, 0) AS lines
  FROM per_variant v
  LEFT JOIN insights.variants va ON va.variant_id = v.variant_id
  LEFT JOIN insights.products p ON p.product_id = va.product_id
  LEFT JOIN insights.suppliers s ON s.supplier_id = v.supplier_id
  LEFT JOIN links l ON l.supplier_id = v.supplier_id
  WHERE (:product IS NULL OR va.product_id = :product)
    AND (:township IS NULL OR s.township = :township)
)"""

DASHBOARD_SQL = f"""
WITH {SUPPLY_CTES},
brand AS (
  SELECT p.product_id, p.name, p.brand
  FROM insights.products p LEFT JOIN insights.suppliers s ON s.supplier_id = p.supplier_id
  WHERE p.region_id = :region AND p.brand IS NOT NULL AND p.delisted_at IS NULL
    AND (:supplier IS NULL OR p.supplier_id = :supplier)
    AND (:product IS NULL OR p.product_id = :product)
    AND (:township IS NULL OR s.township = :township)
),
stations AS (
  -- stations that ordered (reported transactions) per month, and their order value
  SELECT s.month, count(*) FILTER (WHERE s.orders > 0) AS stations,
    sum(s.amount_fen) AS amount, sum(s.orders) AS orders
  FROM insights.sales_by_station s JOIN insights.organisations o ON o.org_id = s.buyer_org_id
  WHERE s.region_id = :region AND o.kind = 'station'
    AND (s.month BETWEEN :cur_start AND :cur_end OR s.month BETWEEN :prev_start AND :prev_end)
    AND (:township IS NULL OR o.township = :township)
  GROUP BY s.month
),
deliveries AS (
  SELECT month, carrier, sum(delivered) AS delivered, sum(timed) AS timed,
    sum(within) AS within
  FROM insights.deliveries_by_month
  WHERE region_id = :region AND month BETWEEN :cur_start AND :cur_end
    AND (:township IS NULL OR township = :township)
  GROUP BY month, carrier
),
runs AS (
  SELECT month, kind, count(*) AS runs, sum(cost_fen) AS cost, sum(parcels) AS parcels,
    sum(weight_g) AS weight_g
  FROM insights.runs
  WHERE region_id = :region AND month BETWEEN :cur_start AND :cur_end
    AND completed_at IS NOT NULL
  GROUP BY month, kind
),
sessions AS (
  SELECT started_at, ended_at, gmv_fen FROM insights.stream_sessions
  WHERE region_id = :region AND month BETWEEN :cur_start AND :cur_end
    AND started_at IS NOT NULL
),
edges AS (
  SELECT started_at AS at, 1 AS d FROM sessions
  UNION ALL
  SELECT ended_at, -1 FROM sessions WHERE ended_at IS NOT NULL
),
stream AS (
  -- sale lines' GMV (paid less refunded) this period, a year before, and lines
  SELECT
    coalesce(sum(g.gmv_fen) FILTER (WHERE g.month BETWEEN :cur_start AND :cur_end), 0) AS now,
    coalesce(sum(g.gmv_fen) FILTER (WHERE g.month BETWEEN :prev_start AND :prev_end), 0)
      AS before,
    coalesce(sum(g.lines) FILTER (WHERE g.month BETWEEN :cur_start AND :cur_end), 0) AS lines
  FROM insights.stream_sales_by_month g
  LEFT JOIN insights.suppliers s ON s.supplier_id = g.supplier_id
  WHERE g.region_id = :region AND g.month BETWEEN :prev_start AND :cur_end
    AND (:supplier IS NULL OR g.supplier_id = :supplier)
    AND (:product IS NULL OR g.product_id = :product)
    AND (:township IS NULL OR s.township = :township)
),
recorded AS (
  SELECT kind, count(*) AS n, sum(value) AS total, sum(advanced) AS advanced
  FROM insights.recorded_figures
  WHERE region_id = :region AND on_date >= :cur_start AND on_date < :after
    AND (:township IS NULL OR township = :township)
  GROUP BY kind
)
SELECT
  (SELECT timezone FROM insights.regions WHERE region_id = :region) AS timezone,
  (SELECT targets::text FROM insights.region_settings WHERE region_id = :region) AS targets,
  (SELECT national_rural_growth_bp FROM insights.region_settings WHERE region_id = :region)
    AS national,
  (SELECT json_agg(json_build_array(supplier_id, product_id, product_name, brand,
      supplier_name, township, households, poverty_alleviated, monitored, current,
      previous, lines))::text FROM supply) AS supply,
  (SELECT json_agg(json_build_array(product_id, name, brand) ORDER BY brand, name)::text
     FROM brand) AS brand_products,
  (SELECT json_agg(json_build_array(month, stations, amount, orders) ORDER BY month)
     FILTER (WHERE month BETWEEN :cur_start AND :cur_end)::text FROM stations) AS stations,
  (SELECT json_agg(json_build_array(month, stations, amount, orders) ORDER BY month)
     FILTER (WHERE month BETWEEN :prev_start AND :prev_end)::text FROM stations)
    AS stations_before,
  (SELECT json_agg(json_build_array(month, carrier, delivered, timed, within)
     ORDER BY month, carrier)::text FROM deliveries) AS deliveries,
  (SELECT json_agg(json_build_array(month, kind, runs, cost, parcels, weight_g)
     ORDER BY month, kind)::text FROM runs) AS runs,
  (SELECT count(*) FROM sessions) AS sessions,
  (SELECT coalesce(sum(gmv_fen), 0) FROM sessions) AS sessions_gmv,
  (SELECT coalesce(max(live), 0) FROM
     (SELECT sum(d) OVER (ORDER BY at, d) AS live FROM edges) running) AS peak,
  stream.now, stream.before, stream.lines,
  (SELECT json_agg(json_build_array(kind, n, total, advanced))::text FROM recorded)
    AS recorded
FROM stream
"""

_TYPES = {
    "region": "uuid",
    "cur_start": "date",
    "cur_end": "date",
    "prev_start": "date",
    "prev_end": "date",
    "supplier": "uuid",
    "product": "uuid",
    "township": "text",
    "after": "date",
}
_BIND = re.compile(r"(?<![:\w]):(\w+)(?!:)")


def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """The statement for asyncpg itself: `:name` → `$n::type`, and the names in order."""
    names: list[str] = []

    def number(m: re.Match[str]) -> str:
        if m.group(1) not in names:
            names.append(m.group(1))
        return f"${names.index(m.group(1)) + 1}::{_TYPES[m.group(1)]}"

    return _BIND.sub(number, sql), tuple(names)


_SA_TYPES = {"uuid": Uuid, "date": Date, "text": String}


def _statement(sql: str) -> Any:
    names = set(_BIND.findall(sql))
    return text(sql).bindparams(*(bindparam(n, type_=_SA_TYPES[_TYPES[n]]) for n in names))


SUPPLY_SQL = f"WITH {SUPPLY_CTES} SELECT * FROM supply"
DASHBOARD = _statement(DASHBOARD_SQL)
SUPPLY = _statement(SUPPLY_SQL)
POSITIONAL = {"dashboard": _positional(DASHBOARD_SQL), "supply": _positional(SUPPLY_SQL)}


def _params(f: Filters) -> dict[str, Any]:
    prev = f.period.previous()
    return {
        "region": f.region_id,
        "cur_start": f.period.start,
        "cur_end": f.period.end,
        "prev_start": prev.start,
        "prev_end": prev.end,
        "supplier": f.supplier_id,
        "product": f.product_id,
        "township": f.township,
        "after": _after(f.period),
    }


def _rows(value: str | None, row: Any) -> list[Any]:
    return [row(*x) for x in orjson.loads(value)] if value else []


class FiguresRepository:
    """The figures' SQL, on the session (inside its transaction: snapshots, reports) or,
    given `read_url`, on the read pool (`shared.db.read_pool`: autocommit, no pre-ping, no
    reset) for the API's reads, which write nothing."""

    def __init__(self, session: AsyncSession, read_url: str | None = None) -> None:
        self.session = session
        self.read_url = read_url

    async def _fetch(self, name: str, statement: Any, f: Filters, one: bool) -> Any:
        params = _params(f)
        if self.read_url is None:
            result = await self.session.execute(statement, params)
            return result.mappings().one() if one else list(result.mappings().all())
        sql, names = POSITIONAL[name]
        pool = await read_pool(self.read_url)
        async with pool.acquire() as conn:
            # prepared afresh each time: PostgreSQL plans it for these values (the optional
            # filters fold away); a cached statement turns generic after five runs, and its
            # generic plan measured ~1.5x slower than the extra Parse round trip costs
            statement = await conn.prepare(sql)
            args = [params[n] for n in names]
            return await (statement.fetchrow(*args) if one else statement.fetch(*args))

    async def dashboard(self, f: Filters) -> Dashboard:
        """Every figure's aggregates in one statement."""
        r = await self._fetch("dashboard", DASHBOARD, f, one=True)
        return Dashboard(
            timezone=r["timezone"],
            targets=orjson.loads(r["targets"]) if r["targets"] else None,
            national_bp=r["national"],
            supply=_rows(r["supply"], SupplyRow),
            brand_products=_rows(r["brand_products"], BrandProduct),
            stations=_rows(r["stations"], StationMonth),
            stations_before=_rows(r["stations_before"], StationMonth),
            deliveries=_rows(r["deliveries"], DeliveryMonth),
            runs=_rows(r["runs"], RunMonth),
            livestream=Livestream(
                *(
                    int(r[k] or 0)
                    for k in ("sessions", "sessions_gmv", "peak", "now", "before", "lines")
                )
            ),
            recorded={
                kind: (int(n), int(total or 0), int(adv or 0))
                for kind, n, total, adv in (orjson.loads(r["recorded"]) if r["recorded"] else [])
            },
        )

    async def supply(self, f: Filters) -> list[Any]:
        """Net sales per supplier and product, this period and the same months a year before."""
        return [
            SupplyRow(*row.values()) for row in await self._fetch("supply", SUPPLY, f, one=False)
        ]


def _after(period: Period) -> date:
    if period.last_month == 12:
        return date(period.year + 1, 1, 1)
    return date(period.year, period.last_month + 1, 1)
