"""Repositories: the only place SQL is written."""
