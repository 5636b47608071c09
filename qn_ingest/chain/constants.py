"""The runtime constants the reminders need, decoded from a runtime's metadata.

Decoding the metadata of a whole runtime takes seconds: it is done once per runtime version
(`specVersion`) and the few numbers kept are stored in the database (qn_ingest.models.RuntimeConstants),
so that later runs, whichever process they run in, read them from there. `constants_decode` also
keeps its last few answers in memory, keyed by the metadata itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from qn_ingest.chain.proposal_parameters import PALLET, PROPOSAL_PARAMETERS, VOTING_PERIOD_FIELD

VENDORED_METADATA_PATH = Path(__file__).with_name("joystream-runtime-metadata-2004.json")

# (pallet, constant) of each stage's duration, in blocks.
ANNOUNCING_PERIOD = ("Council", "AnnouncingPeriodDuration")
VOTE_STAGE = ("Referendum", "VoteStageDuration")
REVEAL_STAGE = ("Referendum", "RevealStageDuration")


class MetadataError(ValueError):
    """The metadata is not a Joystream runtime's, or lacks a constant the reminders need."""


@dataclass(frozen=True)
class RuntimeConstants:
    """Stage durations of one runtime version, in blocks."""

    spec_version: int
    announcing_period: int
    vote_stage: int
    reveal_stage: int
    # ProposalDetails type (the query node's name) → its voting period.
    voting_periods: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "announcing_period": self.announcing_period,
            "vote_stage": self.vote_stage,
            "reveal_stage": self.reveal_stage,
            "voting_periods": dict(sorted(self.voting_periods.items())),
        }

    @classmethod
    def from_json(cls, spec_version: int, values: dict) -> RuntimeConstants:
        return cls(
            spec_version=spec_version,
            announcing_period=int(values["announcing_period"]),
            vote_stage=int(values["vote_stage"]),
            reveal_stage=int(values["reveal_stage"]),
            voting_periods={str(k): int(v) for k, v in values["voting_periods"].items()},
        )


def _decoded_metadata(metadata_hex: str):
    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core"))
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(metadata_hex))
    metadata.decode()
    config.add_portable_registry(metadata)
    return config, metadata


def _constant(config, metadata, pallet_name: str, constant_name: str):
    pallet = metadata.get_metadata_pallet(pallet_name)
    constant = next((c for c in (pallet.constants if pallet else []) if c.name == constant_name), None)
    if constant is None:
        raise MetadataError(f"the runtime has no constant {pallet_name}.{constant_name}")
    return config.create_scale_object(constant.type, data=ScaleBytes(constant.constant_value)).decode()


def _blocks(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise MetadataError(f"the runtime constant {name} is not a number of blocks: {value!r}")
    return value


@lru_cache(maxsize=4)
def constants_decode(spec_version: int, metadata_hex: str) -> RuntimeConstants:
    """The durations from a runtime's metadata (`state_getMetadata`'s hex). Raises MetadataError."""
    try:
        config, metadata = _decoded_metadata(metadata_hex)
    except Exception as exc:  # scalecodec raises a variety of errors on bytes it cannot read
        raise MetadataError(f"the runtime metadata cannot be decoded: {exc}") from exc
    durations = {
        key: _blocks(_constant(config, metadata, *names), ".".join(names))
        for key, names in (
            ("announcing_period", ANNOUNCING_PERIOD),
            ("vote_stage", VOTE_STAGE),
            ("reveal_stage", REVEAL_STAGE),
        )
    }
    voting_periods = {}
    for details_type, constant_name in PROPOSAL_PARAMETERS.items():
        parameters = _constant(config, metadata, PALLET, constant_name)
        name = f"{PALLET}.{constant_name}.{VOTING_PERIOD_FIELD}"
        if not isinstance(parameters, dict):
            raise MetadataError(f"the runtime constant {PALLET}.{constant_name} is not a parameter set")
        voting_periods[details_type] = _blocks(parameters.get(VOTING_PERIOD_FIELD), name)
    return RuntimeConstants(spec_version=spec_version, voting_periods=voting_periods, **durations)


@lru_cache(maxsize=1)
def vendored_runtime() -> tuple[int, str]:
    """(specVersion, metadata hex) of the runtime vendored beside this module."""
    vendored = json.loads(VENDORED_METADATA_PATH.read_text(encoding="utf-8"))
    return int(vendored["specVersion"]), str(vendored["metadata"])
