"""The repository service's schema, declarative base and kernel tables."""

from shared.db import ServiceKernel, make_base

SERVICE = "repository"
Base = make_base(SERVICE)
kernel = ServiceKernel.create(SERVICE, Base.metadata)
