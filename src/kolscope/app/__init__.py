"""Use cases: each takes a unit of work (or its factory) and ports first, then keyword arguments.

Use cases never commit; the unit of work does, once per request, command or import batch.
"""
