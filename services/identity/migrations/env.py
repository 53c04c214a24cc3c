from services.identity import models  # noqa: F401  (registers every table)
from services.identity.db import Base
from shared.migrations import run_env

run_env(Base.metadata, "identity")
