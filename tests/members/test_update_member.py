import json

import pytest
import redis
from django.core import mail

from members.models import Member, VerificationEmail, VerificationStatus
from pioneer.celery import app as celery_app
from tests.conftest import error_messages
from tests.services import redis_url

UPDATE_MEMBER = """
mutation ($email: String, $receiveEmails: Boolean) {
  updateMember(email: $email, receiveEmails: $receiveEmails) { id name email unverifiedEmail receiveEmails }
}
"""
VERIFICATION_TASK = "members.tasks.send_verification_email"


def test_update_member_needs_a_token(api_client, member):
    result = api_client.post(UPDATE_MEMBER, {"receiveEmails": False}, HTTP_AUTHORIZATION="")

    assert error_messages(result) == ["Unauthorized"]
    assert Member.objects.get(pk=member.id).receive_emails is True


def test_receive_emails_toggles_and_nothing_else_changes(member_api_client, member, tasks_inline):
    off = member_api_client.execute(UPDATE_MEMBER, {"receiveEmails": False})["updateMember"]
    on = member_api_client.execute(UPDATE_MEMBER, {"receiveEmails": True})["updateMember"]

    assert off == {
        "id": 1,
        "name": "alice",
        "email": "alice@example.org",
        "unverifiedEmail": None,
        "receiveEmails": False,
    }
    assert on == {**off, "receiveEmails": True}
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # the email is queued on commit
def test_an_email_change_leaves_receive_emails_alone(member_api_client, member, tasks_inline):
    member.receive_emails = False
    member.save()

    result = member_api_client.execute(UPDATE_MEMBER, {"email": "new@example.org"})["updateMember"]

    assert (result["receiveEmails"], result["unverifiedEmail"]) == (False, "new@example.org")
    [message] = mail.outbox
    assert message.to == ["new@example.org"]


def test_both_fields_at_once(member_api_client, member, tasks_inline):
    result = member_api_client.execute(UPDATE_MEMBER, {"email": "new@example.org", "receiveEmails": False})

    assert result["updateMember"]["unverifiedEmail"] == "new@example.org"
    assert result["updateMember"]["receiveEmails"] is False


def test_no_arguments_change_nothing(member_api_client, member, tasks_inline):
    result = member_api_client.execute("mutation { updateMember { email unverifiedEmail receiveEmails } }")

    assert result["updateMember"] == {
        "email": "alice@example.org",
        "unverifiedEmail": None,
        "receiveEmails": True,
    }
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "nope", "a@b@c.org", "x" * 250 + "@example.org"])
def test_an_invalid_email_is_refused_and_nothing_changes(member_api_client, member, tasks_inline, email):
    result = member_api_client.post(UPDATE_MEMBER, {"email": email, "receiveEmails": False})

    assert error_messages(result) == ["Invalid email"]
    assert result["errors"][0]["extensions"]["code"] == "INVALID_EMAIL"
    stored = Member.objects.get(pk=member.id)
    assert (stored.unverified_email, stored.receive_emails) == (None, True)
    assert mail.outbox == []


def test_going_back_to_the_verified_address_cancels_the_pending_one(member_api_client, member, tasks_inline):
    member.unverified_email = "pending@example.org"
    member.save()

    result = member_api_client.execute(UPDATE_MEMBER, {"email": "alice@example.org"})["updateMember"]

    assert (result["email"], result["unverifiedEmail"]) == ("alice@example.org", None)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_verification_email_is_queued_for_a_worker(member_api_client):
    """CELERY_BROKER_URL set: the API stores the email and only queues it (after commit) for a worker."""
    queue = redis.Redis.from_url(redis_url())

    def queued(row_id: int) -> list[bytes]:
        return [
            raw
            for raw in queue.lrange("celery", 0, -1)
            if json.loads(raw)["headers"].get("task") == VERIFICATION_TASK
            and json.loads(raw)["headers"].get("argsrepr") == f"({row_id},)"
        ]

    assert celery_app.conf.task_always_eager is False
    member_api_client.execute(UPDATE_MEMBER, {"email": "queued-for-worker@example.org"})
    row = VerificationEmail.objects.get(email="queued-for-worker@example.org")
    try:
        assert len(queued(row.id)) == 1
        assert (row.email_status, row.retry_count) == (VerificationStatus.PENDING, 0)
        assert row.email_queued_at is not None  # the sweeper re-queues it if the task is lost
        assert mail.outbox == []  # nobody consumed it in this process
    finally:
        for raw in queued(row.id):
            queue.lrem("celery", 0, raw)
