"""Discovery: tiers, niches and profile metrics used to find KOLs."""
