"""Stable problem types of centralized purchasing (clients switch on `type`)."""

from shared.errors import register_problem

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
