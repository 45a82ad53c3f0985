"""Organisation administration (the beheerder): departments, teams, people and the manager
chain of §5, a leaver's access taken away, staff imported and exported as CSV, and every
change recorded in the administrative change log."""
