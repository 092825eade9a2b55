import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
application = get_wsgi_application()

# Each server process loads what its first pages would need before it serves (kizuna.web.warm).
from kizuna.web.warm import warm_up  # noqa: E402  (needs the configured Django above)

warm_up()
