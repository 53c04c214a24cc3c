from services.insights import models  # noqa: F401  (registers every table)
from services.insights.db import Base
from shared.migrations import run_env

run_env(Base.metadata, "insights")
