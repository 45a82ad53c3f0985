"""Learning from incidents (seed 000): the leerdoelwijzers, the development matrix and the
team picture."""
