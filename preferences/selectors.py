"""What the preferences page shows, read through the same selectors as the GraphQL queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from chat.models import ChannelStatus
from chat.selectors import chat_channels_for_member
from members.models import Member
from members.selectors import watched_accounts_list
from preferences.entity_titles import entity_link, entity_titles
from preferences.form import CHAT_SUFFIX, EMAIL_SUFFIX, IN_APP_SUFFIX
from preferences.frequency import email_frequency_choices, email_frequency_of
from subscriptions.kinds import KINDS_BY_NAME
from subscriptions.selectors import entity_subscriptions_for_member, general_subscriptions_for_member


@dataclass(frozen=True)
class KindRow:
    name: str
    label: str
    description: str
    default_on: bool
    in_app: bool
    email: bool
    chat: bool

    @property
    def in_app_field(self) -> str:
        return self.name + IN_APP_SUFFIX

    @property
    def email_field(self) -> str:
        return self.name + EMAIL_SUFFIX

    @property
    def chat_field(self) -> str:
        return self.name + CHAT_SUFFIX


@dataclass(frozen=True)
class KindGroup:
    title: str
    kinds: list[KindRow]


@dataclass(frozen=True)
class EntityRow:
    kind: str
    kind_label: str
    entity_id: str
    status: str  # WATCH or MUTE
    title: str | None  # None: unknown to the query node, or it is unreachable
    link: str

    @property
    def value(self) -> str:
        """What its remove button sends."""
        return f"{self.kind}:{self.entity_id}"


@dataclass(frozen=True)
class AccountRow:
    address: str  # also what its remove button sends
    label: str


@dataclass(frozen=True)
class ChatChannelRow:
    id: int  # also what its remove button sends
    label: str
    target: str  # masked: scheme and host, never the URL's token
    status: str  # PENDING, ACTIVE or DISABLED
    status_label: str
    last_error: str


@dataclass(frozen=True)
class PreferencesPage:
    member_name: str
    masked_email: str
    receive_emails: bool
    email_frequency: str | None
    email_frequency_choices: list[tuple[str, str]] | None
    groups: list[KindGroup]
    entities: list[EntityRow]
    accounts: list[AccountRow]
    accounts_max: int
    chat_channels: list[ChatChannelRow]


def email_masked(email: str | None) -> str:
    """a***@example.org: enough for a member to recognise the address, not to harvest it."""
    if not email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def kind_groups(member: Member) -> list[KindGroup]:
    """Every general kind with the member's choice, grouped by the word its family shows in
    emails (Forum, Proposals, ...), groups and kinds in table order."""
    groups: dict[str, list[KindRow]] = {}
    for state in general_subscriptions_for_member(member=member):
        kind = KINDS_BY_NAME[state.kind]
        groups.setdefault(kind.family.eyebrow, []).append(
            KindRow(
                name=kind.name,
                label=kind.label,
                description=kind.summary,
                default_on=kind.default_on,
                in_app=state.should_notify,
                email=state.should_notify_by_email,
                chat=state.should_notify_by_chat,
            )
        )
    return [KindGroup(title=title, kinds=rows) for title, rows in groups.items()]


def entity_rows(member: Member) -> list[EntityRow]:
    # A row of a kind no longer in the table cannot be shown (nor removed here).
    states = [s for s in entity_subscriptions_for_member(member=member) if s.kind in KINDS_BY_NAME]
    entity_of = {state.kind: str(KINDS_BY_NAME[state.kind].entity) for state in states}
    titles = entity_titles({(entity_of[state.kind], state.entity_id) for state in states})
    return [
        EntityRow(
            kind=state.kind,
            kind_label=KINDS_BY_NAME[state.kind].label,
            entity_id=state.entity_id,
            status=state.status,
            title=titles.get((entity_of[state.kind], state.entity_id)),
            link=entity_link(entity_of[state.kind], state.entity_id),
        )
        for state in states
    ]


def chat_channel_rows(member: Member) -> list[ChatChannelRow]:
    return [
        ChatChannelRow(
            id=channel.id,
            label=channel.label,
            target=channel.target,
            status=channel.status,
            status_label=ChannelStatus(channel.status).label,
            last_error=channel.last_error,
        )
        for channel in chat_channels_for_member(member=member)
    ]


def preferences_page(*, member: Member) -> PreferencesPage:
    return PreferencesPage(
        member_name=member.name,
        masked_email=email_masked(member.email or member.unverified_email),
        receive_emails=member.receive_emails,
        email_frequency=email_frequency_of(member),
        email_frequency_choices=email_frequency_choices(),
        groups=kind_groups(member),
        entities=entity_rows(member),
        accounts=[AccountRow(address=a.address, label=a.label) for a in watched_accounts_list(member=member)],
        accounts_max=settings.WATCHED_ACCOUNTS_MAX,
        chat_channels=chat_channel_rows(member),
    )
