"""The catalog service's schema, declarative base and kernel tables."""

from typing import TYPE_CHECKING

from shared.db import ServiceKernel, make_base

SERVICE = "catalog"
if TYPE_CHECKING:  # make_base builds the class at run time; the type checker sees its base
    from sqlalchemy.orm import DeclarativeBase as Base
else:
    Base = make_base(SERVICE)
kernel = ServiceKernel.create(SERVICE, Base.metadata)
