"""WSGI entry point for gunicorn (``juru serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juru.project.settings")
application = get_wsgi_application()
