"""The beat schedule created by migrate, and the Celery task."""

from __future__ import annotations

from django_celery_beat.models import IntervalSchedule, PeriodicTask

from notifications.models import Notification
from qn_ingest.schedule import INGEST_TASK, INGEST_TASK_NAME, ingest_schedule_ensure
from qn_ingest.tasks import ingest
from tests.factories import MemberFactory


def test_migrate_schedules_the_ingest(db, settings):
    task = PeriodicTask.objects.get(name=INGEST_TASK_NAME)
    assert task.task == INGEST_TASK == "qn_ingest.tasks.ingest"
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (
        settings.NOTIFY_INTERVAL_SECONDS,
        IntervalSchedule.SECONDS,
    )


def test_an_operators_edit_survives(db, settings):
    task = PeriodicTask.objects.get(name=INGEST_TASK_NAME)
    task.interval = IntervalSchedule.objects.create(every=600, period=IntervalSchedule.SECONDS)
    task.enabled = False
    task.save()
    settings.NOTIFY_INTERVAL_SECONDS = 5

    ingest_schedule_ensure()

    task.refresh_from_db()
    assert (task.interval.every, task.enabled) == (600, False)
    assert PeriodicTask.objects.filter(name=INGEST_TASK_NAME).count() == 1


def test_the_task_runs_one_ingest(fake_query_node, db):
    data = fake_query_node.data
    MemberFactory(id=1, name="alice")
    alice = data.member(1)
    data.election_stage("ANNOUNCING")
    assert data.members[alice.id]

    result = ingest.apply().get()

    assert result["ran"] is True and result["notifications"] == 1
    assert Notification.objects.get().kind == "ELECTION_ANNOUNCING_STARTED"


def test_the_task_reports_a_query_node_failure_without_raising(fake_query_node, db, settings):
    settings.QUERY_NODE_MAX_ATTEMPTS = 1
    fake_query_node.fail_always("500")

    result = ingest.apply().get()

    assert result["ran"] is False and "could not be read" in result["reason"]
