"""pytest fixtures for testing agents offline against a local AgentBay server (being written)."""
