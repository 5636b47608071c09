"""Sample display data of the working-group kinds (notifications/samples.py registers them):
shaped like qn_ingest.working_groups.working_group_data stores it."""

from __future__ import annotations

_GROUP = {"id": "storageWorkingGroup", "name": "Storage", "param": "storage"}
_OPENING = {"id": "storageWorkingGroup-21", "title": "Storage provider for the EU region"}

FAMILY_SAMPLES: dict[str, dict] = {
    "wg_opening": {"group": _GROUP, "opening": _OPENING},
    "working_group": {"group": _GROUP},
}

# What each event type adds to its family's sample.
EVENT_SAMPLES: dict[str, dict] = {
    "OpeningAddedEvent": {"opening": _OPENING},
    "AppliedOnOpeningEvent": {"opening": _OPENING, "applicant": {"id": 2201, "handle": "maciej"}},
    "OpeningFilledEvent": {"opening": _OPENING, "hired": {"handles": "maciej, leet_joy"}},
    "BudgetUpdatedEvent": {"budget": {"change": "+25,000 JOY"}},
    "BudgetSetEvent": {"budget": {"new": "150,000.5 JOY"}},
    "BudgetSpendingEvent": {
        "spending": {"amount": "1,200 JOY", "receiver": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"},
        "rationale": {"text": "Bounty for the replication monitoring dashboard."},
    },
    "LeaderSetEvent": {"lead": {"id": 1337, "handle": "bedeho"}},
    "LeaderUnsetEvent": {"lead": {"id": 1337, "handle": "bedeho"}},
    "WorkerStartedLeavingEvent": {
        "worker": {"id": 2201, "handle": "maciej"},
        "rationale": {"text": "Moving to the Distribution group next term."},
    },
    "WorkerExitedEvent": {"worker": {"id": 2201, "handle": "maciej"}},
}
