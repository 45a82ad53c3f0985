"""Follow-up of a registered incident: reaction to the aggressor, police, Inspectie SZW, aftercare, analysis, letters."""
