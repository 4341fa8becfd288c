"""Matching: the campaign brief, match scores with per-criterion reasons, and forecasts."""
