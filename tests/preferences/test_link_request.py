"""/preferences/ without a token: a handle or id in, a fresh link out to the verified address;
the same answer whatever the member's state, and a limit per member."""

import re

import pytest
from django.core import mail

from members.models import EmailSuppressionReason
from preferences.link_requests import PER_MEMBER_PER_HOUR
from preferences.tokens import preferences_member
from tests.factories import MemberFactory
from tests.preferences.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db
NONCE = re.compile(r'nonce="[^"]+"')
LINK = re.compile(rf"Manage notification settings: ({re.escape(PUBLIC_URL)}/preferences/\S+)")


@pytest.fixture(autouse=True)
def inline_tasks(monkeypatch):
    """The link email's task runs in the request, as with no broker (the default deployment)."""
    from pioneer.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def ask(browserless, identifier: str):
    return browserless.post("/preferences/", {"member": identifier})


def test_the_form_asks_for_a_handle_or_id(client, db):
    response = client.get("/preferences/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="member">' in html and 'name="csrfmiddlewaretoken"' in html
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response


@pytest.mark.parametrize("identifier", ["ada", "7", "#7", "  ada "])
def test_a_member_gets_a_working_link_by_email(browserless, ada, identifier):
    response = ask(browserless, identifier)

    assert response.status_code == 200 and "Check your email" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Your Pioneer notification settings"
    link = LINK.search(message.body).group(1)
    assert f'href="{link}"' in message.alternatives[0][0]
    assert preferences_member(link.rsplit("/", 1)[1]) == ada
    assert browserless.get(link.removeprefix(PUBLIC_URL)).status_code == 200


def test_the_answer_is_the_same_whoever_is_asked_for(browserless, ada):
    MemberFactory(id=20, name="no-address", email=None)
    MemberFactory(
        id=21, name="bounced", email="b@example.org", email_suppressed_reason=EmailSuppressionReason.BOUNCED
    )
    answers = [ask(browserless, name) for name in ("ada", "nobody", "999", "no-address", "bounced")]
    # identical but for the style element's per-response CSP nonce
    assert len({NONCE.sub("", answer.content.decode()) for answer in answers}) == 1
    assert {answer.status_code for answer in answers} == {200}
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]


def test_an_unverified_address_gets_no_link(browserless, db):
    MemberFactory(id=22, name="pending", email=None, unverified_email="p@example.org")
    ask(browserless, "pending")
    assert mail.outbox == []


def test_links_are_limited_per_member(browserless, ada):
    for _ in range(PER_MEMBER_PER_HOUR + 2):
        assert ask(browserless, "ada").status_code == 200
    assert len(mail.outbox) == PER_MEMBER_PER_HOUR


@pytest.mark.parametrize("identifier", ["", "   ", "a" * 256, "ada\x00"])
def test_an_unusable_identifier_is_a_400_with_the_form(browserless, db, identifier):
    response = ask(browserless, identifier)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() and 'name="member"' in response.content.decode()
    assert mail.outbox == []
