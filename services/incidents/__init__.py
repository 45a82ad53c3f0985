"""Incidents: quick capture, the central incident register (GIR) and its annex-8 form."""
