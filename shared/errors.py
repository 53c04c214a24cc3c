"""Expected failures as typed errors, rendered once as RFC 9457 problem+json.

`type` is stable (clients switch on it); `title` follows Accept-Language (zh-CN or en).

Problem codes, one pattern: the kernel's generic codes are kebab-case (`not-found`,
`validation-error`); a service's own codes are `<service>-<kebab-case>`
(`catalog-brand-exists`), declared in `services/<service>/problems.py` with
`register_problem`. `AppError` refuses a code nobody registered: a subclass with an
unknown `code` fails when its class is defined (import time), an instance with an
unknown `code=` fails when it is raised, instead of inventing a new public type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PROBLEM_BASE = "https://county-market.dev/problems/"

# code -> (status, English title, Chinese title)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "bad-request": (400, "Bad request", "请求有误"),
    "malformed-json": (400, "The request body is not valid JSON", "请求体不是有效的 JSON"),
    "json-too-deep": (400, "The JSON body is nested too deeply", "JSON 请求体嵌套层级过深"),
    "validation-error": (422, "The request has invalid fields", "请求字段无效"),
    "unauthenticated": (401, "Authentication required", "需要登录"),
    "invalid-token": (401, "The token is invalid or expired", "令牌无效或已过期"),
    "forbidden": (403, "You are not allowed to do this", "无权执行此操作"),
    "not-found": (404, "Not found", "未找到"),
    "method-not-allowed": (405, "Method not allowed", "不支持的请求方法"),
    "not-acceptable": (406, "Not acceptable", "无法提供请求的格式"),
    "conflict": (409, "Conflict with the current state", "与当前状态冲突"),
    "concurrent-update": (
        409,
        "Another request changed the same records at the same moment; try again",
        "其他请求同时修改了相同数据，请重试",
    ),
    "idempotency-in-progress": (
        409,
        "A request with this Idempotency-Key is still being processed",
        "相同幂等键的请求正在处理中",
    ),
    "idempotency-key-reused": (
        422,
        "This Idempotency-Key was used with a different request",
        "该幂等键已用于另一个不同的请求",
    ),
    "invalid-transition": (
        409,
        "This change is not allowed in the current state",
        "当前状态不允许此操作",
    ),
    "rule-violation": (422, "The request breaks a business rule", "请求违反业务规则"),
    "precondition-failed": (412, "Precondition failed", "前置条件不满足"),
    "payload-too-large": (413, "The request body is too large", "请求体过大"),
    "unsupported-media-type": (415, "Unsupported media type", "不支持的媒体类型"),
    "rate-limited": (429, "Too many requests, try again later", "请求过于频繁，请稍后再试"),
    "dependency-unavailable": (503, "A dependency is unavailable", "依赖服务暂不可用"),
    "not-ready": (503, "The service is not ready", "服务尚未就绪"),
    "internal-error": (500, "Internal error", "服务器内部错误"),
}


@dataclass
class FieldError:
    field: str
    message: str
    code: str = "invalid"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "code": self.code}


class UnregisteredProblem(LookupError):
    """A programming error: a problem code that no `problems.py` registered."""


def _require_registered(code: str) -> None:
    if code not in PROBLEMS:
        raise UnregisteredProblem(
            f"problem code {code!r} is not registered: declare it with register_problem() "
            "in the service's problems.py"
        )


class AppError(Exception):
    """Base of expected failures. Subclasses fix the problem code; callers may refine it."""

    code = "bad-request"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _require_registered(cls.code)

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        keep_changes: bool = False,
    ) -> None:
        if code is not None:
            _require_registered(code)
            self.code = code
        self.detail = detail
        self.errors = errors or []
        self.extra = extra or {}
        self.headers = headers or {}
        # The unit of work commits instead of rolling back (e.g. recording a security event).
        self.keep_changes = keep_changes
        super().__init__(detail or self.code)

    @classmethod
    def default_status(cls) -> int:
        return PROBLEMS[cls.code][0]

    @property
    def status(self) -> int:
        return PROBLEMS[self.code][0]


class BadRequest(AppError):
    code = "bad-request"


class Unauthenticated(AppError):
    code = "unauthenticated"


class Forbidden(AppError):
    code = "forbidden"


class NotFound(AppError):
    code = "not-found"


class Conflict(AppError):
    code = "conflict"


class InvalidTransition(AppError):
    code = "invalid-transition"


class RuleViolation(AppError):
    code = "rule-violation"


class PayloadTooLarge(AppError):
    code = "payload-too-large"


class UnsupportedMediaType(AppError):
    code = "unsupported-media-type"


class RateLimited(AppError):
    code = "rate-limited"


class DependencyUnavailable(AppError):
    code = "dependency-unavailable"


SERVICE_CODE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
# Codes registered before the pattern was decided; their owners rename them (a public
# `type` change, announced in the service's README). Do not add to this.
LEGACY_CODE_PREFIXES = ("payments.",)


def register_problem(code: str, status: int, title_en: str, title_zh: str) -> str:
    """Services declare their own stable problem codes with both titles.

    The code is `<service>-<kebab-case>`; registering one code twice with other titles is
    an error (two services would answer one `type` with two meanings).
    """
    if not (SERVICE_CODE.match(code) or code.startswith(LEGACY_CODE_PREFIXES)):
        raise ValueError(f"problem code {code!r} must look like <service>-<kebab-case>")
    if not 400 <= status <= 599:
        raise ValueError(f"problem {code!r}: status {status} is not an error status")
    known = PROBLEMS.get(code)
    if known is not None and known != (status, title_en, title_zh):
        raise ValueError(f"problem code {code!r} is already registered with another meaning")
    PROBLEMS[code] = (status, title_en, title_zh)
    return code


def prefers_chinese(accept_language: str | None) -> bool:
    if not accept_language:
        return False
    best_lang, best_q = "", -1.0
    for part in accept_language.split(","):
        piece = part.strip().split(";")
        lang = piece[0].strip().lower()
        q = 1.0
        for param in piece[1:]:
            if param.strip().startswith("q="):
                try:
                    q = float(param.strip()[2:])
                except ValueError:
                    q = 0.0
        if lang and q > best_q:
            best_lang, best_q = lang, q
    return best_lang.startswith("zh")


def problem_body(
    code: str,
    *,
    detail: str | None = None,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    accept_language: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    status, title_en, title_zh = PROBLEMS.get(code, PROBLEMS["internal-error"])
    title = title_zh if (prefers_chinese(accept_language) and title_zh) else title_en
    body: dict[str, Any] = {"type": PROBLEM_BASE + code, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    if extra:
        # Extra members never overwrite the problem's own fields.
        body.update({k: v for k, v in extra.items() if k not in ("type", "title", "status")})
    return body
