"""The floor to compare against: one st.dataframe and one plotly chart of the side-effects table.

The query string's ``timeframe`` narrows the table, so a rerun with another query string is a
filter change, as in the dashboard.
"""

import os

import pandas as pd
import plotly.express as px
import streamlit as st


@st.cache_data
def load(path: str) -> pd.DataFrame:
    return pd.read_csv(path)


table = load(os.environ["FLOOR_CSV"])
timeframe = st.query_params.get("timeframe")
view = table[table["timeframe"] == timeframe] if timeframe else table
st.dataframe(view)
st.plotly_chart(px.bar(view.head(60), x="incidence_pct", y="effect", orientation="h"))
