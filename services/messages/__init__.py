"""Short messages between colleagues: "I am at Dorpsstraat 12", "team: meeting moved"."""
