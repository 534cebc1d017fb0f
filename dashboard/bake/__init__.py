"""The public's front door: plain-language pages baked from the same catalog and views as the app.

``pages`` builds each page's content as data (every number from ``dashboard.views`` and every
sentence about a number from ``dashboard.wording``); ``render`` turns it into HTML with autoescaping
Jinja2 templates; ``icons`` lays out the icon arrays; ``site.bake`` writes the lot. No streamlit here.
"""
