"""The council and election emails: the linked list of councillors, the failed-round note,
the voter's call to reveal, and candidacies."""

from __future__ import annotations

from notifications.emails import notification_email_render
from tests.emails.conftest import PIONEER_URL

COUNCIL = {
    "event_type": "NewCouncilElectedEvent",
    "council": {"id": "12"},
    "people": [{"id": 2, "handle": "bob"}, {"id": 3, "handle": "<carol>"}],
}


def _render(kind: str, data: dict):
    return notification_email_render(kind=kind, data=data, member_name="Ada", unsubscribe_url="")


def test_new_council_email_lists_the_councillors_linked_to_their_pages():
    email = _render("ELECTION_COUNCIL_ELECTED", COUNCIL)

    assert email.subject == "Council election: a new council has been elected"
    assert f'<a href="{PIONEER_URL}/#/members/2"' in email.html and ">bob</a>" in email.html
    assert f'<a href="{PIONEER_URL}/#/members/3"' in email.html and "&lt;carol&gt;" in email.html
    assert f"- bob ({PIONEER_URL}/#/members/2)" in email.text
    assert f"- <carol> ({PIONEER_URL}/#/members/3)" in email.text
    assert f"{PIONEER_URL}/#/council" in email.text and "Meet the new council" in email.html


def test_an_elected_member_is_congratulated_and_sees_the_council_too():
    email = _render("ELECTION_COUNCIL_ELECTED_ME", COUNCIL)

    assert email.subject == "Congratulations: you were elected to the council"
    assert "You were elected to the council" in email.html
    assert f"- bob ({PIONEER_URL}/#/members/2)" in email.text


def test_malformed_people_are_left_out():
    data = {"people": [{"handle": "no id"}, "text", {"id": "7; drop", "handle": "x"}, {"id": 4}]}

    email = _render("ELECTION_COUNCIL_ELECTED", data)

    assert f"- Member 4 ({PIONEER_URL}/#/members/4)" in email.text
    assert "no id" not in email.text and "drop" not in email.text


def test_a_restart_after_a_failed_round_says_so():
    data = {
        "event_type": "NotEnoughCandidatesEvent",
        "election": {"stage": "ANNOUNCING"},
        "note": {"text": "The previous election round failed: not enough members announced their candidacy."},
    }

    email = _render("ELECTION_ANNOUNCING_STARTED", data)

    assert "announcing" in email.subject
    for body in (email.text, email.html):
        assert "The previous election round failed" in body
        assert f"{PIONEER_URL}/#/election" in body


def test_voters_are_asked_to_reveal_their_vote():
    email = _render("ELECTION_REVEALING_VOTER", {"election": {"stage": "REVEALING"}})

    assert email.subject == "Council election: reveal your vote now"
    assert "reveal your vote before it ends" in email.text
    assert f"{PIONEER_URL}/#/election" in email.text


def test_a_candidacy_names_the_candidate():
    data = {
        "author": {"id": 2, "handle": "bob"},
        "candidacy": {"id": "8", "change": "withdrew their candidacy"},
    }

    email = _render("ELECTION_CANDIDATE_ALL", data)

    assert email.subject == "bob withdrew their candidacy for the council"
    assert f"{PIONEER_URL}/#/election" in email.html
