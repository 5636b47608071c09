"""From ingest to the worker: hand-off on commit, Celery batches and retries, the sweeper, beat."""

from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from notifications.delivery import DeliverySummary, notifications_deliver_pending
from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from notifications.schedule import SWEEP_TASK, SWEEP_TASK_NAME, sweep_schedule_ensure
from notifications.sending import email_retry_backoff
from notifications.services import notifications_hand_off_for_delivery, notifications_sweep_pending
from tests.emails.providers import ScriptedBackend, esp_api_error
from tests.factories import NotificationFactory
from tests.polling import wait_until
from tests.services import redis_url


def statuses(ids) -> dict[int, str]:
    return dict(Notification.objects.filter(id__in=ids).values_list("id", "email_status"))


@pytest.mark.django_db
def test_without_a_broker_the_hand_off_leaves_the_attempt_to_the_notify_pass(inline_tasks, provider_script):
    # given: the ingest creates a notification and hands it off in its transaction
    provider_script.append(esp_api_error(503))
    with transaction.atomic():
        notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
        assert notifications_hand_off_for_delivery(notification_ids=[notification.id]) == 0

    # then: nothing was sent on commit, and notify's pass makes exactly one attempt
    assert ScriptedBackend.calls == 0
    assert notifications_deliver_pending() == DeliverySummary(attempted=1, retrying=1)
    assert ScriptedBackend.calls == 1
    notification.refresh_from_db()
    assert (notification.email_status, notification.retry_count, notification.email_queued_at) == (
        EmailStatus.PENDING,
        1,
        None,
    )


def test_hand_off_queues_batches_on_commit_for_the_worker(worker, monkeypatch):
    monkeypatch.setattr("notifications.services.DELIVERY_TASK_BATCH_SIZE", 2)
    with transaction.atomic():
        created = [NotificationFactory(data=sample_data("FORUM_THREAD_ALL")) for _ in range(5)]
        ignored = NotificationFactory(email_status=EmailStatus.IGNORED)
        ids = [n.id for n in created]
        assert notifications_hand_off_for_delivery(notification_ids=[*ids, ignored.id]) == 5
        assert Notification.objects.filter(id__in=ids, email_queued_at__isnull=False).count() == 5

    wait_until(lambda: set(statuses(ids).values()) == {EmailStatus.SENT}, timeout=20, what="batch sent")
    assert len(mail.outbox) == 5
    assert statuses([ignored.id]) == {ignored.id: EmailStatus.IGNORED}


def test_rolled_back_ingest_queues_nothing(worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        notification = NotificationFactory()
        notifications_hand_off_for_delivery(notification_ids=[notification.id])
        raise RuntimeError("ingest failed")
    assert redis.Redis.from_url(redis_url()).llen(worker.conf.task_default_queue) == 0
    assert not Notification.objects.exists()


def test_transient_failure_in_the_worker_retries_with_backoff(worker, settings, provider_script):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0  # retry at once, so the test needs no waiting
    provider_script.extend([esp_api_error(502), esp_api_error(429)])
    with transaction.atomic():
        notification = NotificationFactory(data=sample_data("PROPOSAL_DISCUSSION_REPLY"))
        notifications_hand_off_for_delivery(notification_ids=[notification.id])

    wait_until(
        lambda: statuses([notification.id])[notification.id] == EmailStatus.SENT,
        timeout=20,
        what="retried send",
    )
    notification.refresh_from_db()
    assert notification.retry_count == 2 and ScriptedBackend.calls == 3
    assert len(mail.outbox) == 1


def test_worker_retry_waits_until_the_row_is_due(worker, settings, provider_script):
    # given: a 1 s backoff, so the first retry is due 0.5 to 1 s after the failure
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 1
    provider_script.append(esp_api_error(503))
    with transaction.atomic():
        notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
        notifications_hand_off_for_delivery(notification_ids=[notification.id])

    wait_until(
        lambda: statuses([notification.id])[notification.id] == EmailStatus.SENT,
        timeout=20,
        what="retried send",
    )

    first, second = ScriptedBackend.call_times
    assert second - first >= 0.5
    notification.refresh_from_db()
    assert (notification.retry_count, notification.next_attempt_at) == (1, None)


def test_sweeper_requeues_only_lost_deliveries(worker, settings):
    # given
    settings.EMAIL_SWEEP_GRACE_SECONDS = 600
    long_ago = timezone.now() - timedelta(hours=1)
    lost = NotificationFactory(data=sample_data("FORUM_POST_REPLY"))
    never_queued = NotificationFactory(data=sample_data("FORUM_POST_REPLY"))
    just_queued = NotificationFactory()
    waiting_for_retry = NotificationFactory()
    backing_off = NotificationFactory()
    fresh = NotificationFactory()
    Notification.objects.filter(id=lost.id).update(email_queued_at=long_ago)
    Notification.objects.filter(id=never_queued.id).update(created_at=long_ago)
    Notification.objects.filter(id=just_queued.id).update(email_queued_at=timezone.now())
    Notification.objects.filter(id=waiting_for_retry.id).update(
        created_at=long_ago, email_queued_at=timezone.now() + timedelta(minutes=5)
    )
    # failed in a `notify` pass long after its task was queued: waits for its next attempt
    Notification.objects.filter(id=backing_off.id).update(
        created_at=long_ago, email_queued_at=long_ago, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )

    # when
    assert notifications_sweep_pending() == 2

    # then
    wait_until(
        lambda: set(statuses([lost.id, never_queued.id]).values()) == {EmailStatus.SENT},
        timeout=20,
        what="swept rows sent",
    )
    assert len(mail.outbox) == 2
    untouched = [just_queued.id, waiting_for_retry.id, backing_off.id, fresh.id]
    assert set(statuses(untouched).values()) == {EmailStatus.PENDING}
    assert notifications_sweep_pending() == 0


@pytest.mark.django_db
def test_sweeper_schedule_exists_after_migrate_and_keeps_operator_changes(settings):
    task = PeriodicTask.objects.get(name=SWEEP_TASK_NAME)
    assert task.task == SWEEP_TASK and task.enabled
    assert (task.interval.every, task.interval.period) == (
        settings.EMAIL_SWEEP_INTERVAL_SECONDS,
        IntervalSchedule.SECONDS,
    )
    # an operator changes it in the admin; the next migrate must not undo that
    task.interval = IntervalSchedule.objects.create(every=42, period=IntervalSchedule.SECONDS)
    task.save()
    sweep_schedule_ensure()
    assert PeriodicTask.objects.get(name=SWEEP_TASK_NAME).interval.every == 42
    assert PeriodicTask.objects.filter(task=SWEEP_TASK).count() == 1


def test_retry_backoff_grows_exponentially_with_jitter(settings):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 60
    for retry_count, ceiling in [(1, 60), (2, 120), (3, 240), (20, 3600)]:
        samples = [email_retry_backoff(retry_count) for _ in range(200)]
        assert all(ceiling / 2 <= s <= ceiling for s in samples)
        assert len(set(samples)) > 1  # jittered, not a fixed delay


def test_a_large_hand_off_publishes_fewer_larger_tasks_and_a_small_one_still_spreads():
    from notifications.services import delivery_task_size

    # ids handed off together → ids per task: 50 at least; 16 tasks for a chunk of the
    # ingest (5,000 ids); never over 500
    assert [delivery_task_size(n) for n in (1, 50, 800, 801, 5000, 300_000)] == [50, 50, 50, 51, 313, 500]
