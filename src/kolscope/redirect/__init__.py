"""The redirect service: short links answered from memory, clicks written in batches."""
