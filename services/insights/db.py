"""The insights service's schema, declarative base and kernel tables."""

from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from shared.db import NAMING_CONVENTION, JSONType, ServiceKernel

SERVICE = "insights"


class Base(DeclarativeBase):
    """Tables in the `insights` schema (what `shared.db.make_base` builds, as a class mypy
    can check models against)."""

    metadata = MetaData(schema=SERVICE, naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSONType, list[Any]: JSONType}


kernel = ServiceKernel.create(SERVICE, Base.metadata)
