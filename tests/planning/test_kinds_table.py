"""The kinds table is the one source: everything else about kinds is derived from it, and every
row is complete (an event type the ingest can read, a builder for its role, words and a link)."""

import re
import subprocess
from pathlib import Path

import pytest

from notifications.presentation import fill_strict, notification_link, notification_message
from notifications.samples import FAMILY_SAMPLES, sample_data
from pioneer.schema import schema
from qn_ingest.candidates import CANDIDATE_BUILDERS, candidates_for_event
from qn_ingest.events import ElectionStage, Roles
from qn_ingest.normalize import NORMALIZERS
from qn_ingest.planning import DISPLAY_DATA_BUILDERS
from qn_ingest.queries import HANDLED_EVENT_TYPES
from subscriptions.kinds import EVENT_TYPES, FAMILIES, KINDS, KINDS_BY_NAME, Role, kinds_for_event_type
from subscriptions.models import Subscription
from tests.planning.builders import election, forum_post, forum_thread, proposal_post
from tests.planning.council_builders import COUNCIL_SAMPLE_EVENTS
from tests.planning.proposal_builders import (
    back_in_deciding,
    proposal_created,
    proposal_voted,
    status_changed,
)
from tests.planning.working_group_builders import sample_events as working_group_events

REPO = Path(__file__).resolve().parents[2]
# One event of every class, built so that every builder yields every kind it can.
SAMPLE_EVENTS = [
    forum_post(
        text="[@bob](#mention?member-id=2)",
        thread_author_id=3,
        replied_to_author_id=4,
        earlier_post_author_ids=frozenset({5}),
        category_chain=("c1", "c0"),
    ),
    forum_thread(text="[@bob](#mention?member-id=2)"),
    proposal_post(
        text="[@bob](#mention?member-id=2)", replied_to_author_id=4, earlier_post_author_ids=frozenset({5})
    ),
    # The announcing and revealing stages are read as council events (in COUNCIL_SAMPLE_EVENTS).
    election(ElectionStage.VOTING),
    *COUNCIL_SAMPLE_EVENTS,
    proposal_created(council=frozenset({2})),
    back_in_deciding(council=frozenset({2}), creator_id=3),
    *(
        status_changed(source_type=source_type, creator_id=3)
        for source_type in ("ProposalDecisionMadeEvent", "ProposalExecutedEvent", "ProposalCancelledEvent")
    ),
    proposal_voted(creator_id=3),
    *working_group_events(),
]


def test_names_are_unique_and_upper_snake_case():
    names = [kind.name for kind in KINDS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]+", name) for name in names)


def _enum_values(name: str) -> list[str]:
    return list(schema.graphql_schema.get_type(name).values)


def test_graphql_enums_list_the_kinds_in_table_order():
    assert _enum_values("NotificationKind") == [kind.name for kind in KINDS]
    assert _enum_values("GeneralSubscriptionKind") == [kind.name for kind in KINDS if not kind.is_entity]
    assert _enum_values("EntitySubscriptionKind") == [kind.name for kind in KINDS if kind.is_entity]


def test_the_ingest_reads_exactly_the_event_types_of_the_table_and_can_normalize_each():
    assert set(HANDLED_EVENT_TYPES) == set(EVENT_TYPES) == set(NORMALIZERS)


def test_every_event_class_has_candidates_and_display_data():
    assert set(CANDIDATE_BUILDERS) == set(DISPLAY_DATA_BUILDERS)
    assert {event.event_type for event in SAMPLE_EVENTS} == set(EVENT_TYPES)
    assert {type(event) for event in SAMPLE_EVENTS} == set(CANDIDATE_BUILDERS)


@pytest.mark.parametrize("event", SAMPLE_EVENTS, ids=lambda event: event.event_type)
def test_builders_yield_the_table_kinds_of_the_event_type_in_role_order(event):
    candidates = candidates_for_event(event, Roles())
    kinds = [candidate.kind for candidate in candidates]
    # every kind the table lists for this event type comes out, and nothing else
    assert set(kinds) == {kind.name for kind in kinds_for_event_type(event.event_type)}
    roles = [KINDS_BY_NAME[kind].role for kind in kinds]
    assert roles == sorted(roles)


def test_forum_post_priority_is_the_rules_order():
    kinds = list(
        dict.fromkeys(candidate.kind for candidate in candidates_for_event(SAMPLE_EVENTS[0], Roles()))
    )
    assert kinds == [
        "FORUM_POST_MENTION",
        "FORUM_POST_REPLY",
        "FORUM_THREAD_CREATOR",
        "FORUM_THREAD_CONTRIBUTOR",
        "FORUM_THREAD_ENTITY_POST",
        "FORUM_CATEGORY_ENTITY_POST",
        "FORUM_POST_ALL",
    ]


def test_entity_kinds_watch_an_entity_and_everyone_kinds_are_general():
    for kind in KINDS:
        if kind.role in (Role.WATCHER, Role.CATEGORY_WATCHER):
            assert kind.is_entity, kind.name
        if kind.role == Role.EVERYONE:
            news_for_everyone = kind.family.name in ("election", "council")
            assert not kind.is_entity and not kind.default_on or news_for_everyone, kind.name


def test_every_family_has_a_sample_and_every_kind_renders_all_its_fields():
    assert {family.name for family in FAMILIES} == set(FAMILY_SAMPLES)
    for kind in KINDS:
        data = sample_data(kind.name)
        for template in (kind.message, kind.subject, kind.detail, kind.family.link):
            assert fill_strict(template, data) is not None, (kind.name, template)
        assert "{" not in notification_message(kind.name, data)
        assert notification_link(kind.name, data, "https://pioneer.test").startswith(
            "https://pioneer.test/#/"
        )


def test_a_new_kind_needs_no_migration():
    # the kind column's choices come from the table at run time, never from a migration
    name, path, args, kwargs = Subscription._meta.get_field("kind").deconstruct()
    assert path == "subscriptions.kinds.KindField" and "choices" not in kwargs
    assert Subscription._meta.get_field("kind").choices  # still validated (admin, full_clean)


def test_nothing_branches_on_a_kind_name_prefix():
    sources = subprocess.run(
        ["git", "ls-files", "*.py", "*.html", "*.txt"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    prefix = re.compile(r"""(startswith|endswith)\(\s*["'](FORUM|PROPOSAL|ELECTION|WG|COUNCIL)""")
    offenders = [path for path in sources if prefix.search((REPO / path).read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_data_without_ids_links_to_the_family_section(kind):
    # an imported row ({"imported": true}) knows no thread, post or proposal id
    link = notification_link(kind, {"imported": True}, "https://pioneer.test")
    family = KINDS_BY_NAME[kind].family
    assert link in (f"https://pioneer.test{family.link}", f"https://pioneer.test{family.section}")
    assert "{" not in link and "=&" not in link and not link.endswith(("=", "/"))


def test_calls_to_act_now_are_never_held_for_a_digest():
    # issue 18: "reveal your vote now" and "a proposal needs your vote" are only useful at once
    assert {kind.name for kind in KINDS if kind.immediate} >= {
        "ELECTION_REVEALING_VOTER",
        "PROPOSAL_DECIDING_COUNCIL",
    }
