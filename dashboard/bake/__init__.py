"""Static outputs baked from the catalog the app serves: the public's plain-language pages and the
open data API.

``pages`` builds each page's content as data (every number from ``dashboard.views`` and every
sentence about a number from ``dashboard.wording``); ``render`` turns it into HTML with autoescaping
Jinja2 templates; ``icons`` lays out the icon arrays; ``api`` writes the open data API; ``site.bake``
writes the lot; ``publish`` swaps a whole bake in. No streamlit here.
"""
