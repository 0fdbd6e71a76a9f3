"""The web adapters: the JSON API (web/api) and the HTML pages (web/pages)."""
