from services.livestream import models  # noqa: F401  (registers every table)
from services.livestream.db import Base
from shared.migrations import run_env

run_env(Base.metadata, "livestream")
