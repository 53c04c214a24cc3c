"""Order rules."""
