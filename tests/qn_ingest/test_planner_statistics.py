"""After a large fan-out the ingest analyses the notification table before delivery reads it
(notifications/planner_statistics.py)."""

import pytest
from django.db import connection

from notifications import planner_statistics
from notifications.planner_statistics import notification_statistics_refresh
from tests.factories import NotificationFactory
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


def _estimated_rows() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'notifications_notification'")
        return cursor.fetchone()[0]


def test_the_table_is_analysed_after_a_fan_out_of_many_emails_only(monkeypatch):
    require_postgres()
    monkeypatch.setattr(planner_statistics, "ANALYZE_AFTER_PENDING", 5)
    NotificationFactory.create_batch(7)
    before = _estimated_rows()

    assert notification_statistics_refresh(pending_created=4) is False
    assert _estimated_rows() == before

    assert notification_statistics_refresh(pending_created=5) is True
    assert _estimated_rows() == 7
