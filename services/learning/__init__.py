"""Learning from incidents (seed 000): the leerdoelwijzers, the development matrix, the team
picture, the team plan and the work forms."""
