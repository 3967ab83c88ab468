"""The data inventory: fideslang taxonomy, the declarative data map and what it implies."""
