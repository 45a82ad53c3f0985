"""A team's escalation policy, shared by alarms and overdue visits: the alarm steps and the
overdue grace as data with their defaults, how they are stored and changed, and who a step's
targets are. Neutral ground, so that alarms and visits each depend on it, never on each other."""
