"""The composition root: every service in one process, and the project's command line."""
