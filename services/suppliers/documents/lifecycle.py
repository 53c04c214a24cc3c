"""A qualification document's review: accepted with the application (or its reinstatement),
flagged for changes by the reviewer, superseded by a renewal."""

from __future__ import annotations

from shared.state_machine import machine

DOCUMENT_REVIEW = machine(
    "qualification_document",
    [
        ("pending", "accept", "accepted"),
        ("pending", "request_changes", "changes_requested"),
        ("accepted", "request_changes", "changes_requested"),
        ("pending", "supersede", "superseded"),
        ("accepted", "supersede", "superseded"),
        ("changes_requested", "supersede", "superseded"),
    ],
)
