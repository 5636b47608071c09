"""The Celery application: `celery -A pioneer worker` / `celery -A pioneer beat`."""

import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pioneer.settings")

app = Celery("pioneer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
@worker_process_init.connect
def _heap_freeze(**kwargs) -> None:
    # The worker has imported its tasks by now (pioneer.heap: full collections skip them): ready
    # for the thread pool compose.yaml runs, process init for a prefork child.
    from pioneer.heap import loaded_heap_freeze

    loaded_heap_freeze()
