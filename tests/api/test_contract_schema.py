"""Our GraphQL schema against the contract's (CONTRACT.md §2, read from the shared folder):
every type, field, argument and enum value the Pioneer UI was generated against exists with
the same type and nullability, and nothing we added is a required argument."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from graphql import GraphQLEnumType, build_schema

from pioneer.schema import schema

REPO = Path(__file__).resolve().parents[2]
CONTRACT_PATH = Path(os.environ.get("PIONEER_SHARED_DIR") or REPO.parent / "shared") / "CONTRACT.md"
KIND_ENUMS = ("GeneralSubscriptionKind", "EntitySubscriptionKind", "NotificationKind")
# The kinds of CONTRACT.md section 4, in its order (the section is prose, not SDL).
CONTRACT_GENERAL_KINDS = (
    "FORUM_POST_ALL FORUM_POST_MENTION FORUM_POST_REPLY FORUM_THREAD_CREATOR FORUM_THREAD_CONTRIBUTOR "
    "FORUM_THREAD_ALL FORUM_THREAD_MENTION PROPOSAL_DISCUSSION_MENTION PROPOSAL_DISCUSSION_REPLY "
    "PROPOSAL_DISCUSSION_CREATOR PROPOSAL_DISCUSSION_CONTRIBUTOR PROPOSAL_DISCUSSION_ALL "
    "ELECTION_ANNOUNCING_STARTED ELECTION_VOTING_STARTED ELECTION_REVEALING_STARTED"
).split()
CONTRACT_ENTITY_KINDS = (
    "FORUM_THREAD_ENTITY_POST FORUM_CATEGORY_ENTITY_POST FORUM_CATEGORY_ENTITY_THREAD "
    "PROPOSAL_ENTITY_DISCUSSION"
).split()
# Kinds added after the contract (section 4: "adding enum values is compatible"), appended
# after the contract's kinds in every enum, in the order of their issue.
ADDED_GENERAL_KINDS = (  # issue 11
    "PROPOSAL_CREATED_ALL PROPOSAL_STATUS_CREATOR PROPOSAL_STATUS_ALL PROPOSAL_VOTE_CREATOR "
    "PROPOSAL_VOTE_ALL PROPOSAL_DECIDING_COUNCIL"
).split()
ADDED_ENTITY_KINDS = "PROPOSAL_ENTITY_STATUS PROPOSAL_ENTITY_VOTE".split()  # issue 11


@pytest.fixture(scope="module")
def contract():
    assert CONTRACT_PATH.exists(), f"CONTRACT.md not found at {CONTRACT_PATH}; set PIONEER_SHARED_DIR"
    sdl = CONTRACT_PATH.read_text().split("```graphql", 1)[1].split("```", 1)[0]
    sdl = re.sub(r"#[^\n]*", "", sdl)
    general = CONTRACT_GENERAL_KINDS + ADDED_GENERAL_KINDS
    entity = CONTRACT_ENTITY_KINDS + ADDED_ENTITY_KINDS
    every = CONTRACT_GENERAL_KINDS + CONTRACT_ENTITY_KINDS + ADDED_GENERAL_KINDS + ADDED_ENTITY_KINDS
    sdl += f"\nenum GeneralSubscriptionKind {{ {' '.join(general)} }}"
    sdl += f"\nenum EntitySubscriptionKind {{ {' '.join(entity)} }}"
    sdl += f"\nenum NotificationKind {{ {' '.join(every)} }}"
    return build_schema(sdl)


def contract_types(contract):
    return [
        (name, graphql_type)
        for name, graphql_type in contract.type_map.items()
        if not name.startswith("__") and name not in {"String", "Int", "Boolean", "ID", "Float"}
    ]


def test_every_contract_field_and_argument_exists_with_the_same_type(contract):
    ours = schema.graphql_schema
    problems = []
    for type_name, contract_type in contract_types(contract):
        our_type = ours.get_type(type_name)
        if our_type is None:
            problems.append(f"missing type {type_name}")
            continue
        for field_name, field in getattr(contract_type, "fields", {}).items():
            our_field = our_type.fields.get(field_name)
            if our_field is None:
                problems.append(f"missing field {type_name}.{field_name}")
                continue
            if str(our_field.type) != str(field.type):
                problems.append(f"{type_name}.{field_name}: {our_field.type}, contract {field.type}")
            contract_args = getattr(field, "args", {})
            for arg_name, arg in contract_args.items():
                our_arg = our_field.args.get(arg_name)
                if our_arg is None or str(our_arg.type) != str(arg.type):
                    found = our_arg and our_arg.type
                    problems.append(f"{type_name}.{field_name}({arg_name}): {found}, contract {arg.type}")
            for arg_name, our_arg in getattr(our_field, "args", {}).items():
                if arg_name not in contract_args and str(our_arg.type).endswith("!"):
                    problems.append(f"{type_name}.{field_name}({arg_name}) is an added required argument")
    assert problems == []


def test_enums_keep_every_contract_value_and_the_kinds_their_order(contract):
    ours = schema.graphql_schema
    for type_name, contract_type in contract_types(contract):
        if isinstance(contract_type, GraphQLEnumType):
            our_values = list(ours.get_type(type_name).values)
            assert set(contract_type.values) <= set(our_values), type_name
            if type_name in KIND_ENUMS:
                # generalSubscriptions lists kinds "in enum order": the order is part of the contract.
                assert [v for v in our_values if v in contract_type.values] == list(contract_type.values)
