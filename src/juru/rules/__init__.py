"""Rule packs as data: schema, shipped packs, evaluation (pure: no Django).

Not to be confused with the ``governance`` app, which stores policy *documents* and sign-off.
"""
