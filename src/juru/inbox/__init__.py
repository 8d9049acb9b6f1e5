"""The shared inbox: conversations from what the public says to owned accounts, routing, assignment, SLAs."""
