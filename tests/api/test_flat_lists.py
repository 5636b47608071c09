"""pioneer/graphql_execution.py completes lists of flat objects in one loop: whatever the
document, its result (data, errors and their paths) is graphql-core's own, and every field's
resolver sees the same `info` and runs through the middleware."""

from __future__ import annotations

import asyncio

import pytest
from graphql import (
    ExecutionContext,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    execute,
    parse,
)

from pioneer.graphql_execution import FlatListExecutionContext


class Row:
    def __init__(self, id, name=None, kind="A"):
        self.id, self.name, self.kind = id, name, kind


def _broken(row, info):
    if row.id == 2:
        raise ValueError("row 2 is broken")
    return "fine"


def _awaitable(row, info):
    async def value():
        return f"later {row.id}"

    return value()


Item = GraphQLObjectType(
    "Item",
    lambda: {
        "id": GraphQLField(GraphQLNonNull(GraphQLInt)),
        "name": GraphQLField(GraphQLString),
        "required": GraphQLField(GraphQLNonNull(GraphQLString), resolve=lambda row, info: row.name),
        "kind": GraphQLField(GraphQLEnumType("Kind", {"A": "A", "B": "B"})),
        "path": GraphQLField(GraphQLString, resolve=lambda row, info: repr(info.path.as_list())),
        "broken": GraphQLField(GraphQLString, resolve=_broken),
        "badInt": GraphQLField(GraphQLInt, resolve=lambda row, info: "not a number"),
        "later": GraphQLField(GraphQLString, resolve=_awaitable),
        "shout": GraphQLField(
            GraphQLString,
            args={"times": GraphQLArgument(GraphQLInt)},
            resolve=lambda row, info, times=1: (row.name or "") * times,
        ),
        "child": GraphQLField(Item, resolve=lambda row, info: Row(row.id * 10, "child")),
    },
)


def _rows():
    return [Row(1, "one"), Row(2, None, "B"), Row(3, "three")]


SCHEMA = GraphQLSchema(
    GraphQLObjectType(
        "Query",
        {
            "items": GraphQLField(GraphQLList(Item), resolve=lambda root, info: _rows()),
            "withNull": GraphQLField(GraphQLList(Item), resolve=lambda root, info: [Row(1), None]),
            "strict": GraphQLField(
                GraphQLList(GraphQLNonNull(Item)), resolve=lambda root, info: [Row(1), None]
            ),
            "tupled": GraphQLField(GraphQLList(Item), resolve=lambda root, info: tuple(_rows())),
        },
    )
)

DOCUMENTS = {
    "leaves": "{ items { id name kind path } }",
    "aliases and fragments": "{ items { a: id ...F b: name __typename } } fragment F on Item { kind }",
    "skip and include": "query ($x: Boolean!) { items { id @skip(if: $x) name @include(if: $x) } }",
    "a resolver raises": "{ items { id broken } }",
    "null for a non-null field": "{ items { id required } }",
    "a value the type cannot serialise": "{ items { badInt } }",
    "a null item": "{ withNull { id } }",
    "a null item of a non-null list type": "{ strict { id } }",
    "an argument": "{ items { shout(times: 2) } }",
    "an object field": "{ items { id child { id name } } }",
    "a tuple": "{ tupled { id } }",
}


def _both(document: str, **kwargs):
    generic = execute(SCHEMA, parse(document), variable_values={"x": True}, **kwargs)
    flat = execute(
        SCHEMA,
        parse(document),
        variable_values={"x": True},
        execution_context_class=FlatListExecutionContext,
        **kwargs,
    )
    return generic, flat


def _formatted(result):
    return result.data, [error.formatted for error in result.errors or []]


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_result_is_graphql_cores(name):
    generic, flat = _both(DOCUMENTS[name])
    assert _formatted(flat) == _formatted(generic)


def test_awaitable_values_are_left_to_graphql_core():
    async def run(context_class):
        result = execute(SCHEMA, parse("{ items { id later } }"), execution_context_class=context_class)
        return await result

    assert asyncio.run(run(FlatListExecutionContext)) == asyncio.run(run(ExecutionContext))


def test_every_leaf_resolver_runs_through_the_middleware_with_its_own_path():
    seen = {"generic": [], "flat": []}

    def recording(into):
        def middleware(next_, root, info, **args):
            into.append((info.field_name, tuple(info.path.as_list())))
            return next_(root, info, **args)

        return middleware

    generic = execute(SCHEMA, parse(DOCUMENTS["leaves"]), middleware=[recording(seen["generic"])])
    flat = execute(
        SCHEMA,
        parse(DOCUMENTS["leaves"]),
        middleware=[recording(seen["flat"])],
        execution_context_class=FlatListExecutionContext,
    )

    assert flat.data == generic.data
    assert seen["flat"] == seen["generic"]
    assert ("name", ("items", 2, "name")) in seen["flat"]
    assert flat.data["items"][1]["path"] == "['items', 1, 'path']"


def test_a_list_of_leaves_takes_the_shortcut(monkeypatch):
    calls = []
    original = ExecutionContext.execute_field

    def counted(self, parent_type, source, field_nodes, path):
        calls.append(path.key)
        return original(self, parent_type, source, field_nodes, path)

    monkeypatch.setattr(ExecutionContext, "execute_field", counted)

    result = execute(SCHEMA, parse("{ items { id name } }"), execution_context_class=FlatListExecutionContext)

    assert result.data == {
        "items": [{"id": 1, "name": "one"}, {"id": 2, "name": None}, {"id": 3, "name": "three"}]
    }
    assert calls == ["items"]  # graphql-core's per-field path ran for the list field only
