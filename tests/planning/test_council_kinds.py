"""Who gets the council and election kinds, and which wins (docs/kinds/council.md)."""

from __future__ import annotations

from members.models import Member
from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import kinds_by_member, plan
from tests.planning.council_builders import announcing, candidacy, council_elected, revealing


def _members(*ids: int) -> None:
    for member_id in ids:
        MemberFactory(id=member_id)


def test_elected_members_get_the_personal_kind_everyone_else_the_general_one(db):
    _members(1, 2, 3)

    drafts = plan([council_elected(2, 3, 99)])  # 99 is not registered

    assert kinds_by_member(drafts) == {
        1: "ELECTION_COUNCIL_ELECTED",
        2: "ELECTION_COUNCIL_ELECTED_ME",
        3: "ELECTION_COUNCIL_ELECTED_ME",
    }
    assert drafts[0].data["people"][0] == {"id": 2, "handle": "handle2"}


def test_voters_get_the_voter_kind_instead_of_the_general_one(db):
    _members(1, 2, 3)

    drafts = plan([revealing({2, 3, 99})])

    assert kinds_by_member(drafts) == {
        1: "ELECTION_REVEALING_STARTED",
        2: "ELECTION_REVEALING_VOTER",
        3: "ELECTION_REVEALING_VOTER",
    }


def test_a_voter_who_turned_both_off_gets_nothing(db):
    _members(1, 2)
    for kind in ("ELECTION_REVEALING_VOTER", "ELECTION_REVEALING_STARTED"):
        SubscriptionFactory(
            member=Member.objects.get(id=2), kind=kind, should_notify=False, should_notify_by_email=False
        )

    assert kinds_by_member(plan([revealing({2})])) == {1: "ELECTION_REVEALING_STARTED"}


def test_two_events_of_one_restart_in_one_page_give_one_notification(db):
    _members(1, 2)
    failure = announcing("NotEnoughCandidatesEvent")
    # The announcing start of the same block carries the same round key (council_page_complete).
    start = announcing(key=failure.event_id)

    drafts = plan([failure, start])

    assert sorted((d.member_id, d.event_id, d.kind) for d in drafts) == [
        (1, failure.event_id, "ELECTION_ANNOUNCING_STARTED"),
        (2, failure.event_id, "ELECTION_ANNOUNCING_STARTED"),
    ]
    assert "not enough members announced" in drafts[0].data["note"]["text"]


def test_a_regular_announcing_start_has_no_failure_note(db):
    _members(1)

    [draft] = plan([announcing()])

    assert draft.kind == "ELECTION_ANNOUNCING_STARTED" and "note" not in draft.data


def test_candidacies_are_opt_in_and_never_reach_the_candidate(db):
    _members(1, 2, 3)
    for member_id in (1, 2):
        SubscriptionFactory(member=Member.objects.get(id=member_id), kind="ELECTION_CANDIDATE_ALL")

    drafts = plan([candidacy(2), candidacy(2, withdraw=True)])

    assert sorted((d.member_id, d.data["candidacy"]["change"]) for d in drafts) == [
        (1, "announced their candidacy"),
        (1, "withdrew their candidacy"),
    ]
