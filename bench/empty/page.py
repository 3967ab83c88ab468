"""An empty page: what Streamlit alone costs the browser (bench.browser compares every page with it)."""
