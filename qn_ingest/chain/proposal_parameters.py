"""Which runtime constant holds the parameters (the voting period among them) of each proposal type.

The query node names a proposal's type by the member of its `ProposalDetails` union; the runtime
exports each type's `ProposalParameters` as a constant of the `ProposalsCodex` pallet. The names
do not always match (a frozen-status proposal, an invitation count, a token-constraints update),
so every member of the union is mapped explicitly: tests/reminders/test_runtime_constants.py
checks that the map covers the union of the vendored query-node schema and that every constant
exists in the vendored runtime metadata.
"""

from __future__ import annotations

PALLET = "ProposalsCodex"
# The field of a ProposalParameters constant that says how long the council may vote (blocks).
VOTING_PERIOD_FIELD = "voting_period"

PROPOSAL_PARAMETERS: dict[str, str] = {
    "SignalProposalDetails": "SignalProposalParameters",
    "RuntimeUpgradeProposalDetails": "RuntimeUpgradeProposalParameters",
    "FundingRequestProposalDetails": "FundingRequestProposalParameters",
    "SetMaxValidatorCountProposalDetails": "SetMaxValidatorCountProposalParameters",
    "CreateWorkingGroupLeadOpeningProposalDetails": "CreateWorkingGroupLeadOpeningProposalParameters",
    "FillWorkingGroupLeadOpeningProposalDetails": "FillWorkingGroupOpeningProposalParameters",
    "UpdateWorkingGroupBudgetProposalDetails": "UpdateWorkingGroupBudgetProposalParameters",
    "DecreaseWorkingGroupLeadStakeProposalDetails": "DecreaseWorkingGroupLeadStakeProposalParameters",
    "SlashWorkingGroupLeadProposalDetails": "SlashWorkingGroupLeadProposalParameters",
    "SetWorkingGroupLeadRewardProposalDetails": "SetWorkingGroupLeadRewardProposalParameters",
    "TerminateWorkingGroupLeadProposalDetails": "TerminateWorkingGroupLeadProposalParameters",
    "AmendConstitutionProposalDetails": "AmendConstitutionProposalParameters",
    "CancelWorkingGroupLeadOpeningProposalDetails": "CancelWorkingGroupLeadOpeningProposalParameters",
    "SetMembershipPriceProposalDetails": "SetMembershipPriceProposalParameters",
    "SetCouncilBudgetIncrementProposalDetails": "SetCouncilBudgetIncrementProposalParameters",
    "SetCouncilorRewardProposalDetails": "SetCouncilorRewardProposalParameters",
    "SetInitialInvitationBalanceProposalDetails": "SetInitialInvitationBalanceProposalParameters",
    # The runtime drops "Initial" from this one.
    "SetInitialInvitationCountProposalDetails": "SetInvitationCountProposalParameters",
    "SetMembershipLeadInvitationQuotaProposalDetails": "SetMembershipLeadInvitationQuotaProposalParameters",
    "SetReferralCutProposalDetails": "SetReferralCutProposalParameters",
    "VetoProposalDetails": "VetoProposalProposalParameters",
    "UpdateChannelPayoutsProposalDetails": "UpdateChannelPayoutsProposalParameters",
    # Spelled so in the runtime ("Fozen").
    "UpdatePalletFrozenStatusProposalDetails": "SetPalletFozenStatusProposalParameters",
    "UpdateGlobalNftLimitProposalDetails": "UpdateGlobalNftLimitProposalParameters",
    "DecreaseCouncilBudgetProposalDetails": "DecreaseCouncilBudgetProposalParameters",
    # No "ProposalParameters" suffix in the runtime.
    "UpdateTokenPalletTokenConstraintsProposalDetails": "UpdateTokenPalletTokenConstraints",
}
