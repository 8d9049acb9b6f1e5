"""Public, read-only web pages of the built-in sandbox network (what the audience would see)."""
