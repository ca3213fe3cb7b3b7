"""WSGI entry point for gunicorn: `gunicorn enablement.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")

application = get_wsgi_application()
