"""Follow-up of a registered incident: reaction to the aggressor, police, Inspectie SZW,
aftercare, analysis, letters; and its reactions to the incident register's messages."""
