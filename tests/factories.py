import factory

from members.models import Member
from notifications.models import EmailStatus, Notification
from subscriptions.models import Subscription


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    id = factory.Sequence(lambda n: 1000 + n)
    name = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda m: f"{m.name}@example.org")
    receive_emails = True


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    member = factory.SubFactory(MemberFactory)
    kind = "FORUM_POST_ALL"
    entity_id = None
    should_notify = True
    should_notify_by_email = True


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    member = factory.SubFactory(MemberFactory)
    kind = "FORUM_POST_MENTION"
    event_id = factory.Sequence(lambda n: f"1-{n}")
    entity_id = factory.Sequence(lambda n: str(n))
    email_status = EmailStatus.PENDING
    in_block = 1
    data = factory.LazyFunction(dict)
