"""The suppliers service's stable problem types (clients switch on `type`)."""

from shared.errors import register_problem

APPLICATION_EXISTS = register_problem(
    "suppliers-application-exists",
    409,
    "This organisation already has a supplier application",
    "该组织已提交过供应商入驻申请",
)
APPLICATION_INCOMPLETE = register_problem(
    "suppliers-application-incomplete",
    422,
    "The application is missing required fields or documents",
    "申请缺少必填信息或资质文件",
)
NOT_EDITABLE = register_problem(
    "suppliers-not-editable",
    409,
    "The application cannot be changed in its current state",
    "当前状态下不能修改申请",
)
DOCUMENTS_NEED_ATTENTION = register_problem(
    "suppliers-documents-need-attention",
    422,
    "Some qualification documents are missing, expired or need changes",
    "部分资质文件缺失、过期或需要修改",
)
INVALID_CREDIT_CODE = register_problem(
    "suppliers-invalid-credit-code",
    422,
    "The unified social credit code is not valid",
    "统一社会信用代码无效",
)
INVALID_ID_NUMBER = register_problem(
    "suppliers-invalid-id-number",
    422,
    "The resident identity card number is not valid",
    "居民身份证号码无效",
)
ORGANISATION_SUSPENDED = register_problem(
    "suppliers-organisation-suspended",
    409,
    "The supplier's organisation is suspended on the platform",
    "该供应商所属组织已被平台停用",
)
CREDIT_CODE_TAKEN = register_problem(
    "suppliers-credit-code-taken",
    409,
    "Another supplier is registered with this unified social credit code",
    "该统一社会信用代码已被其他供应商使用",
)
ORGANISATION_NOT_ACTIVE = register_problem(
    "suppliers-organisation-not-active",
    403,
    "Your organisation is not active on the platform",
    "您所在的组织尚未启用或已被停用",
)
