"""The delivery service's stable problem types (clients switch on `type`)."""

from shared.errors import register_problem

NO_ROUTE_FOR_STATION = register_problem(
    "delivery-no-route-for-station",
    422,
    "The station is not a stop on any route running that day",
    "该服务站当天没有配送线路经过",
)
WRONG_PICKUP_CODE = register_problem(
    "delivery-wrong-pickup-code", 422, "The pickup code does not match", "取件码不正确"
)
RUN_NOT_STARTED = register_problem(
    "delivery-run-not-started", 409, "The run has not been started", "配送任务尚未出发"
)
COD_MISMATCH = register_problem(
    "delivery-cod-mismatch",
    422,
    "The cash collected does not match the amount due on delivery",
    "代收货款金额与应收金额不符",
)
RUN_HAS_PARCELS_ABOARD = register_problem(
    "delivery-run-has-parcels-aboard",
    409,
    "Parcels are still aboard: deliver, hand to the station or report each one first",
    "车上仍有包裹未处理：请先妥投、交站或登记异常",
)
RUN_DATED_AHEAD = register_problem(
    "delivery-run-dated-ahead",
    422,
    "The run is dated ahead of today: it can start on its delivery date",
    "配送任务的日期晚于今天，只能在配送当天出发",
)
NOT_A_FARM = register_problem(
    "delivery-not-a-farm",
    422,
    "A collection run picks up only at farms",
    "上行揽收只能在农场（基地）取货",
)
