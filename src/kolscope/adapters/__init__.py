"""Adapters: databases, data sources and engines behind the app's ports."""
