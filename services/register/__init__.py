"""The Agressie Informatie Register (AIR): known aggressors and addresses, their active
measures, every change to them as a version, and who may change what (AVG: need-to-know;
who looked and who changed is always known)."""
