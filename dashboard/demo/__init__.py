"""Deterministic demo data shaped like a real billing SaaS, with planted policy violations."""
