"""Built-in detectors; each module exposes ``SPECS`` for ``juru.scan.builtin``."""
