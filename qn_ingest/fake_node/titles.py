"""Resolvers of schema_titles.graphql: threads, proposals and working groups listed by id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qn_ingest.fake_node.store import GENESIS, Entity, QueryNodeData

# Joystream's runtime has these working groups from genesis on, and the query node stores each
# under its name as id; so does the fake, whatever its data holds.
RUNTIME_WORKING_GROUPS = (
    "forumWorkingGroup",
    "storageWorkingGroup",
    "contentWorkingGroup",
    "operationsWorkingGroupAlpha",
    "appWorkingGroup",
    "distributionWorkingGroup",
    "operationsWorkingGroupBeta",
    "operationsWorkingGroupGamma",
    "membershipWorkingGroup",
)


@dataclass(eq=False)
class WorkingGroup(Entity):
    name: str


class TitleQueries:
    """Mixed into execution.QueryRoot, which gives `data` and its list semantics as `select`
    (not imported here: execution imports this module)."""

    data: QueryNodeData
    select: Callable[..., list[Any]]

    def forumThreads(self, _info, **args) -> list:  # noqa: N802 - GraphQL field name
        return self.select(list(self.data.threads.values()), **args)

    def proposals(self, _info, **args) -> list:
        return self.select(list(self.data.proposals.values()), **args)

    def workingGroups(self, _info, **args) -> list:  # noqa: N802 - GraphQL field name
        created = GENESIS.isoformat().replace("+00:00", "Z")
        groups = [
            WorkingGroup(store=self.data, id=g, createdAt=created, name=g) for g in RUNTIME_WORKING_GROUPS
        ]
        return self.select(groups, **args)
