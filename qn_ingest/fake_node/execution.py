"""GraphQL execution of the fake query node: the schema subset plus the list semantics
the project relies on (`where` with `_eq/_in/_gt/_gte/_lt/_lte/_contains`, AND/OR/NOT,
filters on a relation such as `thread: {id_in: ...}`, `orderBy` lists including relations,
`limit` and `offset`), as the real query node (Hydra) applies them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLInterfaceType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    graphql_sync,
)

from qn_ingest.fake_node.council import CouncilQueries
from qn_ingest.fake_node.store import Entity, QueryNodeData
from qn_ingest.fake_node.titles import TitleQueries

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")
OPERATORS = {"eq", "in", "gt", "gte", "lt", "lte", "contains", "containsAny"}
# DateTime fields compare as instants, like the database does, not as strings.
DATETIME_FIELDS = {"createdAt", "updatedAt", "deletedAt"}


def load_schema() -> GraphQLSchema:
    # schema.graphql, then the area files beside it (schema_<area>.graphql) that extend it.
    extensions = sorted(SCHEMA_PATH.parent.glob("schema_*.graphql"))
    schema = build_schema("\n".join(path.read_text() for path in (SCHEMA_PATH, *extensions)))
    # Every value of an interface or union (events, proposal statuses) names its type.
    for graphql_type in schema.type_map.values():
        if isinstance(graphql_type, GraphQLInterfaceType | GraphQLUnionType):
            graphql_type.resolve_type = lambda value, _info, _type: value.typename
    return schema


SCHEMA = load_schema()


def _instant(value: Any) -> Any:
    if isinstance(value, list):
        return [_instant(item) for item in value]
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _compare(actual: Any, operator: str, expected: Any) -> bool:
    if operator == "eq":
        return actual == expected
    if operator == "in":
        return actual in expected
    if operator == "contains":
        return actual is not None and expected in actual
    if operator == "containsAny":  # a list field holding any of the values
        return bool(set(actual or ()) & set(expected))
    if actual is None:
        return False
    return {
        "gt": actual > expected,
        "gte": actual >= expected,
        "lt": actual < expected,
        "lte": actual <= expected,
    }[operator]


def matches(item: Any, where: dict[str, Any] | None) -> bool:
    """Hydra semantics: keys are ANDed; NOT: [a, b] excludes what matches a or b."""
    for key, value in (where or {}).items():
        if key == "AND":
            ok = all(matches(item, sub) for sub in value)
        elif key == "OR":
            ok = any(matches(item, sub) for sub in value)
        elif key == "NOT":
            ok = not any(matches(item, sub) for sub in value)
        else:
            name, _, operator = key.rpartition("_")
            if operator not in OPERATORS:  # a relation filter, e.g. `parent: {...}`
                related = getattr(item, key)
                ok = related is not None and matches(related, value)
            elif name in DATETIME_FIELDS:
                ok = _compare(_instant(getattr(item, name)), operator, _instant(value))
            else:
                ok = _compare(getattr(item, name), operator, value)
        if not ok:
            return False
    return True


def _sort_value(item: Any, name: str) -> Any:
    """A relation (`thread_ASC`) sorts by its foreign key, the related id (a string, as in
    the query node's tables); DateTime fields by instant."""
    value = getattr(item, name)
    if isinstance(value, Entity):
        return value.id
    return _instant(value) if name in DATETIME_FIELDS else value


def select(
    items: list[Any],
    *,
    where: dict | None = None,
    orderBy: list[str] | None = None,  # noqa: N803 - the GraphQL argument name
    limit: int | None = 50,
    offset: int | None = None,
) -> list[Any]:
    chosen = [item for item in items if matches(item, where)]
    for order in reversed(orderBy or []):  # stable sorts, last key first
        name, _, direction = order.rpartition("_")
        # PostgreSQL puts NULLs last in ascending order (and first in descending).
        chosen.sort(
            key=lambda item, name=name: (_sort_value(item, name) is None, _sort_value(item, name)),
            reverse=direction == "DESC",
        )
    start = offset or 0
    return chosen[start : start + limit] if limit is not None else chosen[start:]


class QueryRoot(CouncilQueries, TitleQueries):
    """Root value: graphql-core calls these methods for the Query fields."""

    select = staticmethod(select)

    def __init__(self, data: QueryNodeData):
        self.data = data

    def events(self, _info, **args) -> list:
        return select(self.data.events, **args)

    def membershipByUniqueInput(self, _info, where: dict):  # noqa: N802 - GraphQL field name
        if where.get("id") is not None:
            return self.data.members.get(str(where["id"]))
        if where.get("handleRaw") is not None:
            raw = where["handleRaw"].lower()
            return next(
                (m for m in self.data.members.values() if "0x" + m.handle.encode().hex() == raw), None
            )
        return None

    def forumCategories(self, _info, **args) -> list:  # noqa: N802
        return select(list(self.data.categories.values()), **args)

    def forumPosts(self, _info, **args) -> list:  # noqa: N802
        return select(list(self.data.forum_posts.values()), **args)

    def proposalDiscussionPosts(self, _info, **args) -> list:  # noqa: N802
        return select(list(self.data.proposal_posts.values()), **args)

    def workers(self, _info, **args) -> list:
        return select(self.data.workers, **args)

    def electedCouncils(self, _info, **args) -> list:  # noqa: N802
        return select(list(self.data.councils.values()), **args)


def execute(
    data: QueryNodeData, query: str, variables: dict | None = None, operation_name: str | None = None
) -> ExecutionResult:
    # The lock gives each request a consistent view while a demo keeps publishing.
    with data.lock:
        return graphql_sync(
            SCHEMA,
            query,
            root_value=QueryRoot(data),
            variable_values=variables,
            operation_name=operation_name,
        )
