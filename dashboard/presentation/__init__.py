"""How data reads to a person, for pages and exports alike: column names, units and cell formats (no
Streamlit)."""
