"""Campaigns: the collaboration pipeline, terms, deliverable review, the payments ledger, outreach
rules and relationship history. Pure: the clock and every stored row are passed in."""
