"""Streamlit entry: `streamlit run app.py` (or `make run`)."""

from dashboard.ui.main import main

main()
