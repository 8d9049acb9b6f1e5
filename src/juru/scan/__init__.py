"""The pre-publish check: detectors find, ``juru.rules`` decides (pure: no Django, no I/O)."""
