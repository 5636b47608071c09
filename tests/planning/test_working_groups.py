"""Who hears of a working-group event (docs/kinds/working-groups.md), for each of the ten types:
the group's workers by default, opted-in members, watchers of the group; never the member the
event is about, never a member who muted the group."""

from __future__ import annotations

import pytest

from qn_ingest.working_groups import WORKING_GROUP_EVENT_TYPES
from subscriptions.kinds import KINDS, Role
from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import kinds_by_member, plan
from tests.planning.working_group_builders import (
    FORUM,
    STORAGE,
    TYPES_WITH_ACTOR,
    person,
    roles_with_workers,
    wg_event,
)

pytestmark = pytest.mark.django_db

LEAD, WORKER, OUTSIDER, OTHER_GROUP_WORKER, ACTOR = 1, 2, 3, 4, 8
ROLES = roles_with_workers(**{FORUM: [LEAD, WORKER, ACTOR], STORAGE: [OTHER_GROUP_WORKER]})


def _kind(event_type: str, role: Role) -> str:
    [kind] = [k.name for k in KINDS if event_type in k.event_types and k.role == role and not k.is_entity]
    return kind


def _all(event_type: str) -> str:
    return _kind(event_type, Role.EVERYONE)


def _worker(event_type: str) -> str:
    return _kind(event_type, Role.GROUP_WORKER)


@pytest.fixture
def members():
    for member_id in (LEAD, WORKER, OUTSIDER, OTHER_GROUP_WORKER, ACTOR):
        MemberFactory(id=member_id)


def test_each_type_has_one_all_kind_off_and_one_worker_kind_on():
    for event_type in WORKING_GROUP_EVENT_TYPES:
        all_kind = next(k for k in KINDS if k.name == _all(event_type))
        worker_kind = next(k for k in KINDS if k.name == _worker(event_type))
        assert (all_kind.name.endswith("_ALL"), all_kind.default_on) == (True, False)
        assert (worker_kind.name.endswith("_WORKER"), worker_kind.default_on) == (True, True)


@pytest.mark.parametrize("event_type", WORKING_GROUP_EVENT_TYPES)
def test_the_groups_workers_lead_included_get_the_worker_kind_and_nobody_else_by_default(members, event_type):
    drafts = plan([wg_event(event_type, group_id=FORUM)], ROLES)

    # the outsider and the worker of another group get nothing; the lead and the worker the _WORKER kind
    assert kinds_by_member(drafts) == dict.fromkeys((LEAD, WORKER, ACTOR), _worker(event_type))


@pytest.mark.parametrize("event_type", WORKING_GROUP_EVENT_TYPES)
def test_an_opted_in_outsider_gets_the_all_kind_and_a_worker_still_the_worker_kind(members, event_type):
    SubscriptionFactory(member_id=OUTSIDER, kind=_all(event_type))
    SubscriptionFactory(member_id=WORKER, kind=_all(event_type))
    SubscriptionFactory(member_id=OTHER_GROUP_WORKER, kind=_all(event_type))

    by_member = kinds_by_member(plan([wg_event(event_type, group_id=FORUM)], ROLES))

    assert by_member[OUTSIDER] == _all(event_type)
    assert by_member[OTHER_GROUP_WORKER] == _all(event_type)
    assert by_member[WORKER] == _worker(event_type)  # _WORKER before _ALL: one notification


@pytest.mark.parametrize("event_type", TYPES_WITH_ACTOR)
def test_the_member_the_event_is_about_is_never_notified(members, event_type):
    # the actor is a worker of the group, opted in to _ALL and watches the group: still nothing
    SubscriptionFactory(member_id=ACTOR, kind=_all(event_type))
    SubscriptionFactory(member_id=ACTOR, kind="WG_ENTITY_ALL", entity_id=FORUM)

    drafts = plan([wg_event(event_type, group_id=FORUM, actor=ACTOR)], ROLES)

    assert ACTOR not in kinds_by_member(drafts)
    assert LEAD in kinds_by_member(drafts)


def test_every_hired_member_is_left_out_of_their_own_hire(members):
    event = wg_event("OpeningFilledEvent", group_id=FORUM, hired=(person(WORKER), person(ACTOR)))

    assert kinds_by_member(plan([event], ROLES)) == {LEAD: "WG_NEW_WORKER_WORKER"}


@pytest.mark.parametrize("event_type", WORKING_GROUP_EVENT_TYPES)
def test_a_muted_group_is_silent_even_for_its_workers_and_opted_in_members(members, event_type):
    SubscriptionFactory(
        member_id=WORKER,
        kind="WG_ENTITY_ALL",
        entity_id=FORUM,
        should_notify=False,
        should_notify_by_email=False,
    )
    SubscriptionFactory(member_id=OUTSIDER, kind=_all(event_type))
    SubscriptionFactory(
        member_id=OUTSIDER,
        kind="WG_ENTITY_ALL",
        entity_id=FORUM,
        should_notify=False,
        should_notify_by_email=False,
    )

    by_member = kinds_by_member(plan([wg_event(event_type, group_id=FORUM)], ROLES))

    assert WORKER not in by_member and OUTSIDER not in by_member
    assert by_member[LEAD] == _worker(event_type)  # muting is one member's choice


@pytest.mark.parametrize("event_type", WORKING_GROUP_EVENT_TYPES)
def test_a_watched_group_reaches_an_outsider_and_only_for_that_group(members, event_type):
    SubscriptionFactory(member_id=OUTSIDER, kind="WG_ENTITY_ALL", entity_id=FORUM)

    in_forum = kinds_by_member(plan([wg_event(event_type, group_id=FORUM)], ROLES))
    in_storage = kinds_by_member(plan([wg_event(event_type, group_id=STORAGE)], ROLES))

    assert in_forum[OUTSIDER] == "WG_ENTITY_ALL"
    assert OUTSIDER not in in_storage
    assert in_storage == {OTHER_GROUP_WORKER: _worker(event_type)}


def test_a_worker_who_watches_their_group_gets_the_worker_kind(members):
    SubscriptionFactory(member_id=WORKER, kind="WG_ENTITY_ALL", entity_id=FORUM)

    by_member = kinds_by_member(plan([wg_event("BudgetSetEvent", group_id=FORUM)], ROLES))

    assert by_member[WORKER] == "WG_NEW_BUDGET_WORKER"


def test_a_worker_who_turned_the_worker_kind_off_is_not_notified(members):
    SubscriptionFactory(
        member_id=WORKER, kind="WG_OPENING_WORKER", should_notify=False, should_notify_by_email=False
    )

    by_member = kinds_by_member(plan([wg_event("OpeningAddedEvent", group_id=FORUM)], ROLES))

    assert WORKER not in by_member and by_member[LEAD] == "WG_OPENING_WORKER"
