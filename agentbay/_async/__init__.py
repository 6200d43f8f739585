"""The async facade. scripts/unasync.py writes agentbay/_sync from these modules: edit them, not _sync."""
