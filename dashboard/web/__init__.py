"""HTTP routes served beside Streamlit through st.App (serve.py): the password sign-in endpoint."""
