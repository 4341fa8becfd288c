"""Pure domain: values, scores and KPIs with exactly one definition each.

Nothing here touches a database, the network, files, the clock or randomness; callers inject them.
"""
