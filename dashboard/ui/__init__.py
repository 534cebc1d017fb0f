"""The only code that imports streamlit: pages and the shared layout."""
