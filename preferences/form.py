"""The preferences form's contract: field names and values in, a PreferencesForm out.

One POST carries the whole form: `<KIND>.in_app`, `<KIND>.email` and `<KIND>.chat` checkboxes
for every general kind (KIND is the GraphQL enum value), `receive_emails`, `email_frequency`
when members have that setting, `add_account` and `add_account_label` (an account to watch;
empty: none), and at most one `remove_entity` (`<ENTITY_KIND>:<entityId>`), `remove_account` (a
watched account's address) or `remove_chat_channel` (a chat channel's id), the button that was
clicked, or one `action` (`save`, `all_on`, `defaults`, `all_off`). A checked box sends "on";
an absent box is off. Anything else (unknown name, repeated name, other value, an entity the
member has no subscription on, an account they do not watch, a chat channel that is not
theirs, a bad address or label) is refused with DomainError, before anything is changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from chat.models import ChatChannel
from members.account_addresses import account_parse
from members.models import Member, WatchedAccount
from members.watched_accounts import label_clean
from pioneer.errors import invalid_input
from preferences.frequency import email_frequency_choices
from subscriptions.kinds import GeneralKind, is_entity, is_on_by_default
from subscriptions.models import Subscription
from subscriptions.services import entity_id_clean

CHECKED = "on"
IN_APP_SUFFIX = ".in_app"
EMAIL_SUFFIX = ".email"
CHAT_SUFFIX = ".chat"
SWITCH_SUFFIXES = (IN_APP_SUFFIX, EMAIL_SUFFIX, CHAT_SUFFIX)
_NAME_SHOWN_MAX = 60  # an unknown field's name is echoed in the error, shortened


class Action(StrEnum):
    SAVE = "save"
    ALL_ON = "all_on"
    DEFAULTS = "defaults"
    ALL_OFF = "all_off"


@dataclass(frozen=True)
class KindChoice:
    in_app: bool
    email: bool
    chat: bool


@dataclass(frozen=True)
class PreferencesForm:
    receive_emails: bool
    email_frequency: str | None  # None: the setting does not exist
    kinds: dict[str, KindChoice]  # every general kind, as the member will have it
    remove: tuple[str, str] | None  # (entity kind, entity id) to forget
    add_account: tuple[str, str] | None = None  # (address, label) to watch
    remove_account: str | None = None  # address to stop watching
    remove_chat_channel: int | None = None  # id of the member's chat channel to remove


def _shown(name: str) -> str:
    return name if len(name) <= _NAME_SHOWN_MAX else name[: _NAME_SHOWN_MAX - 1] + "…"


def _single(data: Mapping[str, Sequence[str]]) -> dict[str, str]:
    values = {}
    for name, given in data.items():
        if len(given) != 1:
            raise invalid_input(f"The field {_shown(name)!r} must be sent once")
        values[name] = given[0]
    return values


def _checkbox(values: dict[str, str], name: str) -> bool:
    value = values.get(name)
    if value is not None and value != CHECKED:
        raise invalid_input(f"The checkbox {_shown(name)!r} must be {CHECKED!r} when checked")
    return value is not None


def _kind_choices(values: dict[str, str], action: Action) -> dict[str, KindChoice]:
    kinds = {}
    for kind in GeneralKind.values:
        in_app, email, chat = (_checkbox(values, kind + suffix) for suffix in SWITCH_SUFFIXES)
        if action == Action.ALL_ON:
            in_app = email = chat = True
        elif action == Action.ALL_OFF:
            in_app = email = chat = False
        elif action == Action.DEFAULTS:
            # A kind's chat default is its email default (subscriptions.selectors).
            in_app = email = chat = is_on_by_default(kind)
        kinds[kind] = KindChoice(in_app=in_app, email=email, chat=chat)
    return kinds


def _removal(member: Member, value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    kind, separator, entity_id = value.partition(":")
    if not separator or not is_entity(kind):
        raise invalid_input("remove_entity must be <ENTITY_KIND>:<entityId>")
    entity_id = entity_id_clean(entity_id)
    if not Subscription.objects.filter(member=member, kind=kind, entity_id=entity_id).exists():
        raise invalid_input("remove_entity names no watch or mute of this member")
    return kind, entity_id


def _account_to_add(values: dict[str, str]) -> tuple[str, str] | None:
    address, label = values.get("add_account", "").strip(), values.get("add_account_label", "").strip()
    if not address:
        if label:
            raise invalid_input("add_account_label needs an account address in add_account")
        return None
    account_parse(address)  # the service checks again; refused here, nothing else is saved either
    label_clean(label)
    return address, label


def _account_to_remove(member: Member, value: str | None) -> str | None:
    if value is None:
        return None
    account = account_parse(value)
    if not WatchedAccount.objects.filter(member=member, public_key=account.public_key).exists():
        raise invalid_input("remove_account names no account this member watches")
    return value


def _chat_channel_to_remove(member: Member, value: str | None) -> int | None:
    if value is None:
        return None
    # Checked here, not left to chat_channel_remove: a forged id must refuse the whole form.
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise invalid_input("remove_chat_channel must be the id of one of your chat channels")
    if not ChatChannel.objects.filter(member=member, id=int(value)).exists():
        raise invalid_input("remove_chat_channel names no chat channel of this member")
    return int(value)


def preferences_form_parse(*, member: Member, data: Mapping[str, Sequence[str]]) -> PreferencesForm:
    """Check every field of a posted form (name -> its values) and say what it asks for."""
    values = _single(data)
    values.pop("csrfmiddlewaretoken", None)  # checked by Django's CSRF middleware before this
    frequencies = email_frequency_choices()
    known = {
        "receive_emails",
        "action",
        "remove_entity",
        "add_account",
        "add_account_label",
        "remove_account",
        "remove_chat_channel",
    }
    known |= {kind + suffix for kind in GeneralKind.values for suffix in SWITCH_SUFFIXES}
    if frequencies is not None:
        known.add("email_frequency")
    unknown = sorted(set(values) - known)
    if unknown:
        raise invalid_input(f"Unknown field {_shown(unknown[0])!r}")
    try:
        action = Action(values.get("action", Action.SAVE))
    except ValueError:
        raise invalid_input("action must be one of " + ", ".join(Action)) from None
    email_frequency = values.get("email_frequency")
    if email_frequency is not None and email_frequency not in {value for value, _ in frequencies or ()}:
        raise invalid_input("email_frequency must be one of " + ", ".join(v for v, _ in frequencies or ()))
    return PreferencesForm(
        receive_emails=_checkbox(values, "receive_emails"),
        email_frequency=email_frequency,
        kinds=_kind_choices(values, action),
        remove=_removal(member, values.get("remove_entity")),
        add_account=_account_to_add(values),
        remove_account=_account_to_remove(member, values.get("remove_account")),
        remove_chat_channel=_chat_channel_to_remove(member, values.get("remove_chat_channel")),
    )
