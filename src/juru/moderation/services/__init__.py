"""Writes of moderation: ``strikes`` (counting as mentions arrive), ``authors`` (moderators' decisions),
``appeals``, ``policy`` and ``actions`` (carrying hides and blocks out on the network)."""
