"""Role sets, named once. A route or service asks for one of these, never spells its own.

A member's roles are those of its membership in the organisation (see identity's users);
an operator's roles are its membership in the region's operator organisation.
"""

from __future__ import annotations

# Administering an organisation: its members, its settings.
MANAGE_ROLES = ("owner", "admin")
# Everyday work of an organisation (listing products, placing orders, editing records).
STAFF_ROLES = ("owner", "admin", "staff")
# Money: statements, refunds, terms, payouts, reconciliation.
FINANCE_ROLES = ("owner", "admin", "finance")
# Planning and running deliveries.
DISPATCH_ROLES = ("owner", "admin", "dispatcher")
# Deciding applications, reviews and certificates.
REVIEW_ROLES = ("owner", "admin", "reviewer")
# Driving a run (drivers are members of the region's operator organisation).
DRIVER_ROLES = ("driver",)

# The region's operator: who may see the region's objects, and who may change them.
OPERATOR_READ_ROLES = ("owner", "admin", "staff", "reviewer", "dispatcher", "finance")
OPERATOR_WRITE_ROLES = ("owner", "admin", "staff")
