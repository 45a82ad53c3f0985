"""Veldwacht's domain: plain Python, no Flask. Time, database and transport are passed in."""
