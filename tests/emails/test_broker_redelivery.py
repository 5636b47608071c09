"""Redis gives a task that is not acknowledged within its visibility timeout to a worker again.

With acks_late an email retry stays unacknowledged while it waits out its countdown in the
worker and while it runs: the timeout must outlast the longest countdown by a wide margin
(a backlog in the worker, the attempt itself), or long retries run as extra copies.
"""

from notifications.sending import RETRY_ETA_MAX_SECONDS
from pioneer.celery import app
from tests.services import redis_url

# What kombu's Redis transport uses when nothing is configured.
KOMBU_DEFAULT_VISIBILITY_TIMEOUT = 3600
# Time a due retry may still spend unacknowledged: queued behind other tasks, then sending.
SLACK_SECONDS = 3600


def test_no_retry_countdown_reaches_the_brokers_visibility_timeout():
    # Longer waits are not held by a worker (tests/emails/test_retry_schedule.py).
    visibility_timeout = app.conf.broker_transport_options.get(
        "visibility_timeout", KOMBU_DEFAULT_VISIBILITY_TIMEOUT
    )
    assert visibility_timeout >= RETRY_ETA_MAX_SECONDS + SLACK_SECONDS


def test_the_redis_channel_uses_that_visibility_timeout():
    redis_url()
    with app.connection_for_write() as connection:
        assert connection.default_channel.visibility_timeout >= RETRY_ETA_MAX_SECONDS + SLACK_SECONDS
