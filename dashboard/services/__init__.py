"""Services: combine queries and rules, enforce the role, write the audit log. No Streamlit here."""
