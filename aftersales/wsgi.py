"""The WSGI application: Django's, with the status look-up answered on its own way in
(``api.lookup_route``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
_django = get_wsgi_application()

from aftersales.api.lookup_route import LookupRoute  # noqa: E402  (settings first)

application = LookupRoute(_django)
