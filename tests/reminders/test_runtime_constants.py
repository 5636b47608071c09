"""The runtime constants behind the deadlines: every proposal type of the query node maps to a
ProposalsCodex constant that exists in the vendored runtime metadata, and the durations decode."""

from __future__ import annotations

import pytest
from graphql import build_schema

from qn_ingest.chain.constants import MetadataError, constants_decode, vendored_runtime
from qn_ingest.chain.proposal_parameters import PALLET, PROPOSAL_PARAMETERS
from qn_ingest.fake_chain import metadata_with_constant
from qn_ingest.queries import QN_SCHEMA_PATH
from tests.reminders.conftest import ANNOUNCING, REVEALING, SIGNAL_VOTING, VOTING


@pytest.fixture(scope="module")
def vendored():
    spec_version, metadata = vendored_runtime()
    return constants_decode(spec_version, metadata)


def test_the_map_covers_every_member_of_the_query_nodes_proposal_details_union():
    union = build_schema(QN_SCHEMA_PATH.read_text()).get_type("ProposalDetails")
    assert sorted(member.name for member in union.types) == sorted(PROPOSAL_PARAMETERS)


def test_every_named_constant_exists_in_the_vendored_metadata_with_a_voting_period(vendored):
    # constants_decode raises MetadataError for a constant it cannot find or read
    assert vendored.spec_version == 2004
    assert set(vendored.voting_periods) == set(PROPOSAL_PARAMETERS)
    assert all(period > 0 for period in vendored.voting_periods.values())
    # names that differ between the query node and the runtime
    assert (
        PROPOSAL_PARAMETERS["UpdatePalletFrozenStatusProposalDetails"]
        == "SetPalletFozenStatusProposalParameters"
    )
    assert PALLET == "ProposalsCodex"


def test_the_stage_durations_of_runtime_2004(vendored):
    assert (vendored.announcing_period, vendored.vote_stage, vendored.reveal_stage) == (
        ANNOUNCING,
        VOTING,
        REVEALING,
    )
    assert vendored.voting_periods["SignalProposalDetails"] == SIGNAL_VOTING
    assert vendored.voting_periods["RuntimeUpgradeProposalDetails"] == 100800
    assert vendored.voting_periods["AmendConstitutionProposalDetails"] == 72200


def test_a_changed_constant_is_read_from_the_new_metadata(vendored):
    spec_version, metadata = vendored_runtime()
    changed = metadata_with_constant(metadata, "VoteStageDuration", 7200)
    changed = metadata_with_constant(changed, "SignalProposalParameters", 20000)

    constants = constants_decode(2005, changed)

    assert (constants.spec_version, constants.vote_stage, constants.reveal_stage) == (2005, 7200, REVEALING)
    assert constants.voting_periods["SignalProposalDetails"] == 20000
    assert constants.voting_periods["FundingRequestProposalDetails"] == SIGNAL_VOTING


def test_metadata_that_is_not_a_runtimes_is_refused():
    with pytest.raises(MetadataError):
        constants_decode(1, "0x00112233")
