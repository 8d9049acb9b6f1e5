"""Writes of the inbox: threads (from mentions and replies), work on conversations, configuration, deadlines."""
