from services.catalog import models  # noqa: F401  (registers every table)
from services.catalog.db import Base
from shared.migrations import run_env

run_env(Base.metadata, "catalog")
