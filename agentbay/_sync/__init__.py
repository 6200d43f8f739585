# Generated from agentbay/_async/__init__.py by scripts/unasync.py. Do not edit: edit the async source.
"""The sync facade. scripts/unasync.py writes agentbay/_sync from these modules: edit them, not _sync."""
