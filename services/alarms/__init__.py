"""The one-tap alarm: raise, alert responders step by step until someone acknowledges,
resolve or cancel (with the duress PIN as a silent variant), and an audit timeline."""
