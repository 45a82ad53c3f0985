"""Transparency towards staff (AVG art. 12-15, WOR art. 27(1)(l)): what Veldwacht keeps about
them, why, how long and who sees it (`statement`), and for each worker who was given or read
their position at an alarm or a visit (`positions`). Only app/ imports this package."""
