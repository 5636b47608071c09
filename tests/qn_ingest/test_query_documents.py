"""Every query document the project sends is valid against the real query-node schema
(vendored in the repository, qn_ingest/qn_schema.graphql), and the fake query node's schema
is a faithful subset of the real one."""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    parse,
    validate,
)

from qn_ingest.fake_node.execution import load_schema
from qn_ingest.queries import ALL_DOCUMENTS, HANDLED_EVENT_TYPES, QN_SCHEMA_PATH


@pytest.fixture(scope="module")
def real_schema() -> GraphQLSchema:
    return build_schema(QN_SCHEMA_PATH.read_text())


@pytest.fixture(scope="module")
def fake_schema() -> GraphQLSchema:
    return load_schema()


@pytest.mark.parametrize("name", sorted(ALL_DOCUMENTS))
def test_document_is_valid_against_the_real_schema(real_schema, name):
    errors = validate(real_schema, parse(ALL_DOCUMENTS[name]))
    assert errors == [], [error.message for error in errors]


@pytest.mark.parametrize("name", sorted(ALL_DOCUMENTS))
def test_document_is_valid_against_the_fake_schema(fake_schema, name):
    errors = validate(fake_schema, parse(ALL_DOCUMENTS[name]))
    assert errors == [], [error.message for error in errors]


def _differences(fake: GraphQLSchema, real: GraphQLSchema) -> list[str]:
    problems = []
    for name, fake_type in fake.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        real_type = real.type_map.get(name)
        if real_type is None:
            problems.append(f"{name}: not in the real schema")
            continue
        if type(real_type) is not type(fake_type):
            problems.append(f"{name}: is a {type(real_type).__name__} in the real schema")
            continue
        if isinstance(fake_type, GraphQLEnumType):
            problems += [
                f"{name}.{v}: no such enum value" for v in fake_type.values if v not in real_type.values
            ]
        if isinstance(fake_type, GraphQLObjectType | GraphQLInterfaceType):
            real_interfaces = {i.name for i in real_type.interfaces}
            problems += [
                f"{name}: does not implement {i.name}"
                for i in fake_type.interfaces
                if i.name not in real_interfaces
            ]
        if isinstance(fake_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, fake_field in fake_type.fields.items():
                real_field = real_type.fields.get(field_name)
                if real_field is None:
                    problems.append(f"{name}.{field_name}: no such field")
                    continue
                if str(real_field.type) != str(fake_field.type):
                    problems.append(f"{name}.{field_name}: {fake_field.type} but real is {real_field.type}")
                for arg_name, fake_arg in getattr(fake_field, "args", {}).items():
                    real_arg = real_field.args.get(arg_name)
                    if real_arg is None or str(real_arg.type) != str(fake_arg.type):
                        problems.append(f"{name}.{field_name}({arg_name}): differs from the real schema")
    return problems


def test_fake_schema_is_a_subset_of_the_real_one(fake_schema, real_schema):
    assert _differences(fake_schema, real_schema) == []


def test_the_vendored_schema_is_the_real_one(real_schema):
    # A stub or truncated copy would let every document "validate" against too little.
    events = real_schema.query_type.fields["events"]
    assert {"where", "orderBy", "limit", "offset"} <= set(events.args)
    assert set(HANDLED_EVENT_TYPES) <= set(real_schema.get_type("EventTypeOptions").values)
    assert len(real_schema.type_map) > 1000


def test_an_invalid_document_fails_validation(real_schema):
    # The validation above must be able to fail: a misspelt field is reported.
    errors = validate(real_schema, parse("query { events(limit: 1) { inBlok } }"))
    assert len(errors) == 1
    assert "Cannot query field 'inBlok'" in errors[0].message


def test_subset_check_catches_a_wrong_field(real_schema):
    wrong = build_schema(
        "type Query { events(limit: String): [Membership!]! }\ntype Membership { handle: Int }"
    )
    problems = _differences(wrong, real_schema)
    assert "Membership.handle: Int but real is String!" in problems
    assert any("events(limit)" in problem for problem in problems)
