"""The Agressie Informatie Register (AIR): known aggressors and addresses, their active
measures, and a log of every lookup (AVG: need-to-know, and who looked is always known)."""
