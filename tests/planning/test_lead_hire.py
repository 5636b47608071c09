"""A lead hire's two events (docs/kinds/working-groups.md, "A lead hire"): which one carries the
notification, and what the email says. The ingest side is tests/qn_ingest/test_lead_hire_ingest.py."""

from __future__ import annotations

from notifications.emails import notification_email_render
from qn_ingest.actions import first_event_of_the_action
from qn_ingest.planning import event_display_data
from qn_ingest.working_groups import Opening
from tests.planning.working_group_builders import BUILDERS_GROUP, person, wg_event

BASE = "https://pioneer.test"


def _event(event_id: str, block: int, index: int) -> dict:
    return {"id": event_id, "inBlock": block, "indexInBlock": index}


def test_the_first_event_of_the_action_in_chain_order_carries_it():
    lead_set, fill = _event("9-3", 9, 3), _event("9-4", 9, 4)

    assert first_event_of_the_action(fill, [lead_set]) == "9-3"  # the fill continues the LeaderSet
    assert first_event_of_the_action(lead_set, [fill]) is None  # the LeaderSet carries it
    # were they ever listed the other way round, the first would still carry it
    assert first_event_of_the_action(_event("9-5", 9, 5), [_event("9-1", 9, 1)]) == "9-1"


def test_events_of_other_blocks_are_other_actions():
    fill = _event("9-4", 9, 4)

    assert first_event_of_the_action(fill, [_event("8-0", 8, 0)]) is None
    assert first_event_of_the_action(fill, []) is None


def _render(kind: str, event) -> tuple[dict, str]:
    data = event_display_data(event)
    email = notification_email_render(kind=kind, data=data, member_name="Ada", unsubscribe_url=f"{BASE}/u/x")
    return data, email.text


def test_both_events_of_a_lead_hire_say_who_was_hired_as_lead_and_through_which_opening(settings):
    settings.PIONEER_URL = BASE
    opening = Opening(id=f"{BUILDERS_GROUP}-4", title="Builders lead")
    lead_set = wg_event(
        "LeaderSetEvent", group_id=BUILDERS_GROUP, lead=person(7), opening=opening, hired_as_lead=True
    )
    fill = wg_event(
        "OpeningFilledEvent", group_id=BUILDERS_GROUP, hired=(person(7),), opening=opening, hired_as_lead=True
    )

    lead_data, lead_text = _render("WG_NEW_LEAD_WORKER", lead_set)
    fill_data, fill_text = _render("WG_NEW_WORKER_ALL", fill)

    note = "handle7 was hired as the lead of Builders through the opening “Builders lead”."
    assert lead_data["note"] == fill_data["note"] == {"text": note}
    assert note in lead_text and note in fill_text
    assert "Opening Builders lead" in lead_text and "Lead handle7" in lead_text
    assert f"{BASE}/#/working-groups/builders" in lead_text


def test_a_lead_hire_whose_opening_has_no_readable_title_still_says_so():
    lead_set = wg_event(
        "LeaderSetEvent",
        group_id=BUILDERS_GROUP,
        lead=person(7),
        opening=Opening(id=f"{BUILDERS_GROUP}-4", title=""),
        hired_as_lead=True,
    )

    assert event_display_data(lead_set)["note"] == {"text": "handle7 was hired as the lead of Builders."}


def test_a_lead_set_on_its_own_has_no_hire_note():
    assert "note" not in event_display_data(
        wg_event("LeaderSetEvent", group_id=BUILDERS_GROUP, lead=person(7))
    )
