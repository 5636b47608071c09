"""Sample display data of the deadline reminders (notifications.samples): the `deadline` part
each reminder stores, keyed by the deadline that stands for its event type."""

from __future__ import annotations

from subscriptions.kinds import Deadline

_DEADLINE = {"block": 4231800, "time": "2024-06-12 14:30 UTC", "left": "21 hours"}

EVENT_SAMPLES: dict[str, dict] = {
    # A reminder stores no status or author: empty parts hide the family sample's.
    Deadline.PROPOSAL_VOTING.value: {"status": {}, "author": {}, "deadline": _DEADLINE},
    Deadline.ELECTION_ANNOUNCING.value: {
        "election": {"stage": "ANNOUNCING", "cycle_id": None},
        "deadline": _DEADLINE,
    },
    Deadline.ELECTION_VOTING.value: {
        "election": {"stage": "VOTING", "cycle_id": None},
        "deadline": _DEADLINE,
    },
    Deadline.ELECTION_REVEALING.value: {
        "election": {"stage": "REVEALING", "cycle_id": None},
        "deadline": _DEADLINE,
        # The voter's accounts with a vote still to reveal.
        "accounts": [{"address": "j4W7rVcUCxi2crhhjRq46fNDRbVHTjJrz6bKxZwehEMQxZeSf", "label": "Ledger"}],
    },
}
