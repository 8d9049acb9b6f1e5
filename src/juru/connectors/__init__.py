"""Network connectors: one module per network behind one protocol (pure: no Django)."""
