"""Scheduled jobs of this sub-domain."""
