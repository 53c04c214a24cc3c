"""The catalog service's stable problem types (clients switch on `type`)."""

from shared.errors import register_problem

BRAND_EXISTS = register_problem(
    "catalog-brand-exists", 409, "The region already has a brand of this name", "本地区已有同名品牌"
)
SUPPLIER_NOT_SELLABLE = register_problem(
    "catalog-supplier-not-sellable",
    409,
    "The supplier is suspended and cannot list products",
    "该供应商已被暂停，不能上架商品",
)
LICENCE_PRODUCTS_INVALID = register_problem(
    "catalog-licence-products-invalid",
    422,
    "A licensed product must belong to the supplier and fall in the brand's categories",
    "授权商品必须属于该供应商且在品牌覆盖的品类内",
)
PRODUCT_NOT_EDITABLE = register_problem(
    "catalog-product-not-editable",
    409,
    "The product cannot be changed while it is under review",
    "商品审核中，不能修改",
)
PRODUCT_INCOMPLETE = register_problem(
    "catalog-product-incomplete",
    422,
    "The product is missing what a review needs (a variant, an image, channels)",
    "商品缺少审核所需信息（规格、图片、销售渠道）",
)
SKU_TAKEN = register_problem(
    "catalog-sku-taken", 409, "The supplier already uses this SKU", "该供应商已使用此 SKU"
)
REASONS_REQUIRED = register_problem(
    "catalog-reasons-required",
    422,
    "Rejecting or requesting changes needs at least one reason",
    "驳回或要求修改时必须填写原因",
)
IMPORT_FAILED = register_problem(
    "catalog-import-failed",
    422,
    "Some rows of the import are invalid; nothing was imported",
    "导入文件中有无效行，未导入任何商品",
)
IMPORT_COLUMNS_UNKNOWN = register_problem(
    "catalog-import-columns-unknown",
    422,
    "The file has columns the import does not know (see the template)",
    "导入文件包含无法识别的列（请参照导入模板）",
)
LOT_CODE_TAKEN = register_problem(
    "catalog-lot-code-taken", 409, "This lot code is already used", "该批次码已被使用"
)
CORRECTION_INVALID = register_problem(
    "catalog-correction-invalid",
    422,
    "A correction must name an earlier event of the same lot and give a reason",
    "更正必须指向同一批次的较早事件并说明原因",
)
CATEGORY_EXISTS = register_problem(
    "catalog-category-exists",
    409,
    "The region already has a category of this name",
    "本地区已有同名品类",
)
CATEGORY_INVALID = register_problem(
    "catalog-category-invalid",
    422,
    "The category is not one of the region's active categories",
    "品类不是本地区在用的品类",
)
