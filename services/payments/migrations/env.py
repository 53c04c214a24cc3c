from services.payments import models  # noqa: F401  (registers every table)
from services.payments.db import Base
from shared.migrations import run_env

run_env(Base.metadata, "payments")
