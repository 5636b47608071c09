"""Verification emails fail as notification emails do (notifications.sending): the provider's
answer says whether another attempt is worth it, against a real local SMTP server. Their
retries: tests/emails/test_verification_retry.py."""

import pytest

from members.emails import verification_email_send
from notifications.sending import EmailSendError
from tests.factories import MemberFactory
from tests.smtp_sink import SmtpSink

LINK = "https://pioneer.example.org/#/settings?emailVerificationToken=t"
ADDRESS = "new@example.org"


@pytest.mark.parametrize(
    ("reply", "transient"),
    [("550 5.1.1 No such user", False), ("451 4.7.1 Greylisted, try later", True)],
    ids=["permanent-550", "transient-451"],
)
def test_the_smtp_answer_decides_whether_a_retry_is_worth_it(smtp_sink, db, reply, transient):
    smtp_sink.refuse_recipients = reply
    member = MemberFactory(email=None, unverified_email=ADDRESS)

    with pytest.raises(EmailSendError) as failure:
        verification_email_send(member=member, email=ADDRESS, link=LINK)

    assert failure.value.transient is transient
    assert reply.split()[0] in str(failure.value)
    assert len(smtp_sink.rcpt_times) == 1 and smtp_sink.messages == []


def test_a_refused_connection_is_transient(settings, db):
    for name, value in SmtpSink().django_settings().items():  # not started: nothing listens there
        setattr(settings, name, value)

    with pytest.raises(EmailSendError) as failure:
        verification_email_send(member=MemberFactory(), email=ADDRESS, link=LINK)

    assert failure.value.transient is True
    assert "ConnectionRefusedError" in str(failure.value)
