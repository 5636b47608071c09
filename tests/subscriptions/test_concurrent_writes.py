"""Two requests storing the same subscription at once both succeed and leave one row (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from subscriptions import services
from subscriptions.models import Subscription
from tests.factories import MemberFactory
from tests.services import require_postgres

ROUNDS = 5


def run_concurrently(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def worker(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_watch_and_mute_of_one_entity_leave_one_row():
    require_postgres()
    member = MemberFactory(id=1)

    for round_number in range(ROUNDS):
        entity_id = str(round_number)
        errors = run_concurrently(
            lambda e=entity_id: services.entity_subscription_set(
                member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id=e, status="WATCH"
            ),
            lambda e=entity_id: services.entity_subscription_set(
                member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id=e, status="MUTE"
            ),
        )

        assert errors == []
        assert Subscription.objects.filter(member=member, entity_id=entity_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_general_updates_leave_one_row_per_kind():
    require_postgres()
    member = MemberFactory(id=1)
    change = [services.GeneralSubscriptionChange(kind="FORUM_POST_ALL")]

    errors = run_concurrently(
        *[lambda: services.general_subscriptions_update(member=member, changes=change) for _ in range(3)]
    )

    assert errors == []
    assert Subscription.objects.filter(member=member, kind="FORUM_POST_ALL").count() == 1
