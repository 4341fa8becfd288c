"""Planning: which KOLs to book for a budget, by the reach and influence they bring together."""
