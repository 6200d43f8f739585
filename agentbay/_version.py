"""The package version (kept here, not read from metadata, to keep `import agentbay` fast)."""

__version__ = "0.1.0"
