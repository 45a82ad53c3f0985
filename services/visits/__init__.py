"""Visits and outdoor shifts: plan with the risk checklist and the register, check in, and an
overdue visit escalates by itself (worker, then buddy and colleagues, then manager)."""
