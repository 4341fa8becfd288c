"""Tracking: short links with UTM, promo codes, shop and live-commerce imports, attribution."""
