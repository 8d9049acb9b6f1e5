"""The Django project: settings, URLs, Celery app."""
