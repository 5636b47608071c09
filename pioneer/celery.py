"""The Celery application: `celery -A pioneer worker` / `celery -A pioneer beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pioneer.settings")

app = Celery("pioneer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
