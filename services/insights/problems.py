"""The insights service's stable problem types (clients switch on `type`)."""

from shared.errors import register_problem

UNKNOWN_FIGURE = register_problem(
    "insights-unknown-figure", 404, "There is no figure of that name", "没有该指标"
)
SNAPSHOT_EXISTS = register_problem(
    "insights-snapshot-exists",
    409,
    "A snapshot of that name already exists for the year",
    "该年度已有同名快照",
)
