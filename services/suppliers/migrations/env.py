from services.suppliers import models  # noqa: F401  (registers every table)
from services.suppliers.db import Base
from shared.migrations import run_env

run_env(Base.metadata, "suppliers")
