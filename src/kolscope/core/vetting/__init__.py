"""Vetting: signals that say whether an account and its content can be trusted."""
