"""Static outputs baked from the catalog: the public pages and the open data API."""
