"""Every problem code the payments service answers with, declared once
(`payments-<kebab-case>`, the kernel's pattern; until 2026-12 they were `payments.snake_case`).

Services import the constants from here; clients switch on the problem `type`."""

from __future__ import annotations

from shared.errors import register_problem

NOT_CARD = register_problem(
    "payments-not-card-payment", 422, "This order is not paid by card", "该订单不是银行卡支付"
)
ALREADY_PAID = register_problem(
    "payments-already-paid", 409, "This order is already paid", "该订单已支付"
)
ORDER_CANCELLED = register_problem(
    "payments-order-cancelled", 409, "This order was cancelled", "该订单已取消"
)
ORDER_NOT_YET_KNOWN = register_problem(
    "payments-order-not-yet-known",
    409,
    "Payments has not heard of this order yet; try again in a moment",
    "支付服务尚未收到该订单，请稍后重试",
)
BANK_REFERENCE_REUSED = register_problem(
    "payments-bank-reference-reused",
    409,
    "This bank reference is already recorded for another receipt",
    "该银行流水号已登记为另一笔到账",
)
NO_BANK_ACCOUNT = register_problem(
    "payments-no-bank-account",
    422,
    "No bank account is recorded for this buyer; name one in the refund",
    "该买家未登记退款银行账户，请在退款申请中填写",
)
NOTHING_TO_REFUND = register_problem(
    "payments-nothing-to-refund", 422, "There is nothing to refund", "没有可退款的金额"
)
REFUND_EXCEEDS_CREDIT = register_problem(
    "payments-refund-exceeds-refundable",
    422,
    "The refund is more than may be given back",
    "退款金额超过可退金额",
)
CARD_ORDER = register_problem(
    "payments-card-order-refunds-to-card",
    422,
    "A card order is refunded to its card, not by bank",
    "银行卡支付的订单原路退回到卡上，不能银行退款",
)
NOTHING_TO_BATCH = register_problem(
    "payments-no-refunds-to-batch",
    422,
    "No bank refund is waiting for a bank file",
    "没有待生成银行批量文件的退款",
)
STATEMENT_PAID = register_problem(
    "payments-statement-paid", 409, "This statement is already paid", "该对账单已付款"
)
MONTH_NOT_OVER = register_problem(
    "payments-month-not-over",
    422,
    "This month is not over yet in the region's calendar; it can be closed from its last day on",
    "该月份在本地区日历中尚未结束，不能结账",
)
TERMS_OUT_OF_RANGE = register_problem(
    "payments-terms-out-of-range",
    422,
    "Credit terms are between 0 and 180 days",
    "账期须在 0 至 180 天之间",
)
NOTHING_TO_PAY_OUT = register_problem(
    "payments-no-commission-to-pay-out",
    422,
    "No commission is waiting for a bank file in this region",
    "本地区没有待付的佣金",
)
