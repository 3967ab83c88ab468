"""Read queries per area; each takes `session` keyword-only and returns DataFrames or dataclasses."""
