"""The project's kernel: what every service needs and nothing that belongs to one service."""
