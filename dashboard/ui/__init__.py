"""The Streamlit layer under pages/: widgets, forms and views; the only dashboard package besides
web that imports Streamlit (checked by the import contracts in .importlinter)."""
