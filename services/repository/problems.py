"""The repository service's stable problem types (clients switch on `type`)."""

from shared.errors import register_problem

ORDER_REJECTED = register_problem(
    "repository-order-rejected",
    422,
    "The order cannot be placed: see the problems of each line",
    "订单无法提交：请查看各行问题",
)
OUT_OF_STOCK = register_problem(
    "repository-out-of-stock",
    409,
    "Not enough stock is available",
    "库存不足",
)
OFFER_NOT_SELLING = register_problem(
    "repository-offer-not-selling",
    409,
    "The offer is not on sale",
    "该商品当前不可订购",
)
CUTOFF_PASSED = register_problem(
    "repository-cutoff-passed",
    409,
    "The order window has closed; the order can no longer be cancelled",
    "已过截单时间，订单不能取消",
)
NOT_A_BUYER = register_problem(
    "repository-not-a-buyer",
    403,
    "Only a station or rural shop with a buyer account can order",
    "只有开通采购账户的服务站或门店可以下单",
)
OFFER_EXISTS = register_problem(
    "repository-offer-exists",
    409,
    "This variant already has an offer in the region",
    "该规格在本县已有批发报价",
)

WINDOW_OPEN = register_problem(
    "repository-window-open",
    409,
    "The order window is still open; it is consolidated after its cut-off",
    "截单时间未到，截单后才能集中采购",
)
CONSOLIDATION_RUNNING = register_problem(
    "repository-consolidation-running",
    409,
    "This window is being consolidated right now; try again in a moment",
    "该批次正在汇总采购，请稍后再试",
)
ALREADY_RECEIVED = register_problem(
    "repository-purchase-order-received",
    409,
    "Goods for this purchase order were already received",
    "该采购单已收货，不能重复收货",
)
BAD_QUANTITIES = register_problem(
    "repository-bad-quantities",
    422,
    "Some line quantities are not possible: see the field errors",
    "部分行的数量不合理，请查看各字段错误",
)
WINDOW_NOT_CURRENT = register_problem(
    "repository-window-not-current",
    409,
    "Only the window open now can be closed early",
    "只能提前截止当前正在接单的批次",
)
WINDOW_DATE_OUT_OF_RANGE = register_problem(
    "repository-window-date-out-of-range",
    422,
    "The window date is too far in the past or the future",
    "批次日期超出可处理范围",
)
BAD_TERMS = register_problem(
    "repository-bad-terms",
    422,
    "These terms refer to something that does not exist: see the field errors",
    "条款引用了不存在的对象，请查看各字段错误",
)
