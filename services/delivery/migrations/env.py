from services.delivery import models  # noqa: F401  (registers every table)
from services.delivery.db import Base
from shared.migrations import run_env

run_env(Base.metadata, "delivery")
