"""Saving the preferences page: the same services as the GraphQL mutations, in one transaction."""

from __future__ import annotations

from django.db import transaction

from chat.services import chat_channel_remove
from members.models import Member
from members.services import member_update
from members.watched_accounts import watched_account_add, watched_account_remove
from preferences.form import PreferencesForm
from preferences.frequency import email_frequency_update
from subscriptions.services import (
    GeneralSubscriptionChange,
    entity_subscription_set,
    general_subscriptions_update,
)


def preferences_save(*, member: Member, form: PreferencesForm) -> Member:
    """Store everything the form says: receiveEmails (and the frequency), every general kind
    exactly as checked in its three channels (updateMember and the generalSubscriptions
    mutation), the removal of one watch or mute (entitySubscription with DEFAULT), the watched
    account added or removed (addWatchedAccount, removeWatchedAccount) and the chat channel
    removed (removeChatChannel). All or nothing."""
    with transaction.atomic():
        member = member_update(
            member=member,
            receive_emails=form.receive_emails,
            **email_frequency_update(form.email_frequency),
        )
        general_subscriptions_update(
            member=member,
            changes=[
                GeneralSubscriptionChange(
                    kind=kind,
                    should_notify=choice.in_app,
                    should_notify_by_email=choice.email,
                    should_notify_by_chat=choice.chat,
                )
                for kind, choice in form.kinds.items()
            ],
        )
        if form.remove is not None:
            kind, entity_id = form.remove
            entity_subscription_set(member=member, kind=kind, entity_id=entity_id, status="DEFAULT")
        if form.remove_account is not None:
            watched_account_remove(member=member, address=form.remove_account)
        if form.add_account is not None:
            address, label = form.add_account
            watched_account_add(member=member, address=address, label=label)
        if form.remove_chat_channel is not None:
            chat_channel_remove(member=member, channel_id=form.remove_chat_channel)
    return member
