"""Every payments table (imported by migrations)."""

from services.payments.commissions.models import (  # noqa: F401
    CommissionPayee,
    CommissionPayout,
    CommissionPayoutBatch,
)
from services.payments.intents.models import (  # noqa: F401
    OrderAccount,
    Payment,
    PaymentHistory,
    StripeEvent,
)
from services.payments.ledger.models import JournalLine, JournalRecord  # noqa: F401
from services.payments.receipts.models import GoodsReceipt  # noqa: F401
from services.payments.refunds.models import (  # noqa: F401
    BankRefund,
    BankRefundBatch,
    BankRefundHistory,
    BuyerBankAccount,
)
from services.payments.regions.models import Region  # noqa: F401
from services.payments.settlement.models import (  # noqa: F401
    BankReceipt,
    CodCollection,
    CodHandIn,
    CreditLine,
    Refund,
)
from services.payments.statements.models import (  # noqa: F401
    ConsignmentPayable,
    SupplierStatement,
)
