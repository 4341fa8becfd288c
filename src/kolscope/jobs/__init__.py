"""Batch work run outside a request: imports in the background, rescoring."""
