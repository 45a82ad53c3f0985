"""Organisation, people and their roles, and the device sessions they log in with."""
