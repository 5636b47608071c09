"""Resolvers of schema_titles.graphql: threads and proposals listed by id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qn_ingest.fake_node.store import QueryNodeData


class TitleQueries:
    """Mixed into execution.QueryRoot, which gives `data` and its list semantics as `select`
    (not imported here: execution imports this module)."""

    data: QueryNodeData
    select: Callable[..., list[Any]]

    def forumThreads(self, _info, **args) -> list:  # noqa: N802 - GraphQL field name
        return self.select(list(self.data.threads.values()), **args)

    def proposals(self, _info, **args) -> list:
        return self.select(list(self.data.proposals.values()), **args)
