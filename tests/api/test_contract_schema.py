"""Our GraphQL schema against the SDL block of docs/api-contract.md.

The block's lines without a `# added` comment are the wire contract the Pioneer UI was
generated against: every type, field, argument and enum value exists with the same type and
nullability, the kinds keep their order, and nothing we added is a required argument. The
whole block (with the additions) must cover everything we serve, so the docs stay current.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLSchema, build_schema

from pioneer.schema import schema

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "api-contract.md"
SDL_MARKER = "<!-- sdl -->"
ADDED = re.compile(r"#\s*added\b")
KIND_ENUMS = ("GeneralSubscriptionKind", "EntitySubscriptionKind", "NotificationKind")
BUILT_IN_SCALARS = {"String", "Int", "Boolean", "ID", "Float"}


def documented_sdl(text: str) -> str:
    """The ```graphql block that follows the marker."""
    assert SDL_MARKER in text, f"{DOC_PATH} has lost its {SDL_MARKER} marker"
    block = text.split(SDL_MARKER, 1)[1].split("```graphql", 1)[1].split("```", 1)[0]
    return block


def contract_sdl(sdl: str) -> str:
    """The block without the lines we added."""
    return "\n".join(line for line in sdl.splitlines() if not ADDED.search(line))


@pytest.fixture(scope="module")
def documented() -> GraphQLSchema:
    return build_schema(documented_sdl(DOC_PATH.read_text()))


@pytest.fixture(scope="module")
def contract() -> GraphQLSchema:
    return build_schema(contract_sdl(documented_sdl(DOC_PATH.read_text())))


def named_types(graphql_schema: GraphQLSchema):
    return [
        (name, graphql_type)
        for name, graphql_type in graphql_schema.type_map.items()
        if not name.startswith("__") and name not in BUILT_IN_SCALARS
    ]


def differences(expected: GraphQLSchema, actual: GraphQLSchema) -> list[str]:
    """What `expected` has that `actual` lacks or types differently."""
    problems = []
    for type_name, expected_type in named_types(expected):
        actual_type = actual.get_type(type_name)
        if actual_type is None:
            problems.append(f"missing type {type_name}")
            continue
        if isinstance(expected_type, GraphQLEnumType):
            problems += [
                f"missing value {type_name}.{value}"
                for value in expected_type.values
                if value not in actual_type.values
            ]
        for field_name, field in getattr(expected_type, "fields", {}).items():
            actual_field = actual_type.fields.get(field_name)
            if actual_field is None:
                problems.append(f"missing field {type_name}.{field_name}")
                continue
            if str(actual_field.type) != str(field.type):
                problems.append(f"{type_name}.{field_name}: {actual_field.type}, expected {field.type}")
            for arg_name, arg in getattr(field, "args", {}).items():
                actual_arg = actual_field.args.get(arg_name)
                if actual_arg is None or str(actual_arg.type) != str(arg.type):
                    found = actual_arg and actual_arg.type
                    problems.append(f"{type_name}.{field_name}({arg_name}): {found}, expected {arg.type}")
    return problems


def test_every_contract_field_and_argument_exists_with_the_same_type(contract):
    assert differences(contract, schema.graphql_schema) == []


def _added_required(contract_names, ours: dict, where: str) -> list[str]:
    return [
        f"{where}{name} is added and required"
        for name, ours_item in ours.items()
        if name not in contract_names and str(ours_item.type).endswith("!")
    ]


def test_nothing_we_added_is_a_required_argument_or_input_field(contract):
    # A new required argument or input field would break every request the UI already sends.
    problems = []
    for type_name, contract_type in named_types(contract):
        our_type = schema.graphql_schema.get_type(type_name)
        if isinstance(contract_type, GraphQLInputObjectType):
            problems += _added_required(contract_type.fields, our_type.fields, f"{type_name}.")
            continue
        for field_name, field in getattr(contract_type, "fields", {}).items():
            our_args = our_type.fields[field_name].args
            problems += _added_required(field.args, our_args, f"{type_name}.{field_name}(): ")
    assert problems == []


def test_enums_keep_every_contract_value_and_the_kinds_their_order(contract):
    ours = schema.graphql_schema
    for type_name, contract_type in named_types(contract):
        if isinstance(contract_type, GraphQLEnumType):
            our_values = list(ours.get_type(type_name).values)
            assert set(contract_type.values) <= set(our_values), type_name
            if type_name in KIND_ENUMS:
                # generalSubscriptions lists kinds "in enum order": the order is part of the contract.
                assert [v for v in our_values if v in contract_type.values] == list(contract_type.values)


def test_the_docs_describe_everything_we_serve(documented):
    # Both directions: a field served but not documented, or documented but gone, fails.
    assert differences(schema.graphql_schema, documented) == []
    assert differences(documented, schema.graphql_schema) == []


def test_the_contract_is_the_block_without_our_additions(contract, documented):
    # The additions are really marked, so the contract check above is not a check of our own
    # extras against themselves; and the old backend's operations are all in the contract.
    assert "notificationsCount" in documented.query_type.fields
    assert "notificationsCount" not in contract.query_type.fields
    assert "limit" not in contract.query_type.fields["notifications"].args
    assert {"signin", "signup", "verifyEmail", "updateMember", "subscribeToEntity"} <= set(
        contract.mutation_type.fields
    )
    assert len(contract.get_type("NotificationKind").values) == 19


def test_a_changed_contract_type_is_reported(contract):
    changed = build_schema(
        contract_sdl(documented_sdl(DOC_PATH.read_text())).replace(
            "memberExist(id: Int): Boolean", "memberExist(id: Int!): Boolean"
        )
    )
    assert differences(contract, changed) == ["Query.memberExist(id): Int!, expected Int"]
