"""The livestream service's schema, declarative base and kernel tables."""

from shared.db import ServiceKernel, make_base

SERVICE = "livestream"
Base = make_base(SERVICE)
kernel = ServiceKernel.create(SERVICE, Base.metadata)
