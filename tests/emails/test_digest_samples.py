"""The sample digests behind `mockemail --digest` and the admin preview, from the kinds table."""

from members.models import EmailFrequency
from notifications.digest_samples import sample_digest_kinds
from subscriptions.kinds import KINDS, KINDS_BY_NAME, immediate_kinds


def test_a_daily_sample_lists_one_kind_of_each_family_a_digest_holds():
    kinds = sample_digest_kinds(EmailFrequency.DAILY)
    families = [KINDS_BY_NAME[kind].family.name for kind in kinds]
    held_families = {kind.family.name for kind in KINDS if not kind.immediate}
    assert len(families) == len(set(families)) and set(families) == held_families


def test_a_weekly_sample_lists_every_kind_a_digest_holds_and_no_immediate_one():
    kinds = sample_digest_kinds(EmailFrequency.WEEKLY)
    assert set(kinds) == {kind.name for kind in KINDS} - immediate_kinds()
    assert not set(kinds) & immediate_kinds()
