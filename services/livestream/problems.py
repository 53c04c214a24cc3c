"""The livestream service's stable problem types (clients switch on `type`)."""

from shared.errors import register_problem

SLOT_TAKEN = register_problem(
    "livestream-slot-taken",
    409,
    "The room or the streamer is already booked for part of this time",
    "该时段直播间或主播已被预订",
)
OUTSIDE_OPENING_HOURS = register_problem(
    "livestream-outside-opening-hours",
    422,
    "The booking is outside the room's opening hours",
    "预订时间不在直播间开放时间内",
)
BELOW_FLOOR_PRICE = register_problem(
    "livestream-below-floor-price",
    422,
    "The live price is below the supplier's floor price",
    "直播价低于供应商底价",
)
LINEUP_FROZEN = register_problem(
    "livestream-lineup-frozen",
    409,
    "The session is live or over: its lineup can no longer change (caps may only fall)",
    "直播已开始或结束，商品清单已锁定（库存上限只能下调）",
)
NOT_IN_POOL = register_problem(
    "livestream-not-in-pool",
    422,
    "The product is not in the selection pool (not on sale, no valid licence or certificates)",
    "该商品不在选品池中（未上架、品牌授权或证书无效）",
)
PLAN_RULE = register_problem(
    "livestream-plan-rule",
    422,
    "The commission plan breaks a rule of its kind",
    "佣金计划不符合该类型的规则",
)
PLAN_CONFLICT = register_problem(
    "livestream-plan-conflict",
    409,
    "The product already has a plan this one cannot be combined with",
    "该商品已有不能同时存在的佣金计划",
)
SAMPLE_THRESHOLD = register_problem(
    "livestream-sample-quota-exceeded",
    409,
    "The monthly sample quota of the streamer's GMV band is used up",
    "本月申样额度已用完",
)
SAMPLE_OPEN = register_problem(
    "livestream-sample-already-open",
    409,
    "The streamer already has an open sample request for this product",
    "该主播对该商品已有未完成的申样",
)
PERIOD_OPEN = register_problem(
    "livestream-period-open",
    422,
    "A statement covers a finished local month only; this one is still in progress",
    "结算单只能针对已结束的自然月（当地时间）",
)
CONSIGNMENT_SHORT = register_problem(
    "livestream-consignment-short",
    409,
    "Not that many goods are on hand at the base",
    "基地寄售库存不足",
)
CAP_OVER_ON_HAND = register_problem(
    "livestream-cap-over-on-hand",
    422,
    "A stock cap cannot exceed the goods on hand at the base",
    "库存上限不能超过基地现有寄售库存",
)
STOCKTAKE_REASON = register_problem(
    "livestream-stocktake-reason",
    422,
    "A count that differs from the ledger needs a reason",
    "盘点数量与账面不符时须填写原因",
)
