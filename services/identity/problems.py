"""The identity service's stable problem types (clients switch on `type`)."""

from shared.errors import register_problem

INVALID_CREDENTIALS = register_problem(
    "identity-invalid-credentials", 401, "Wrong login or password", "账号或密码错误"
)
ACCOUNT_LOCKED = register_problem(
    "identity-account-locked",
    429,
    "Too many failed logins; the account is locked for a while",
    "登录失败次数过多，账号暂时锁定",
)
