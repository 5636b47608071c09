from django.db import models
from django.db.models import Q

from subscriptions.kinds import ENTITY_ID_MAX_LENGTH, EntityKind, KindField, is_on_by_default


class Subscription(models.Model):
    """A member's choice about one kind of notification, optionally about one entity.

    General kinds have no entity id; entity kinds (thread, category, proposal) always have one.
    For entity kinds, should_notify=True means WATCH and False means MUTE.
    """

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="subscriptions")
    kind = KindField()
    entity_id = models.CharField(max_length=ENTITY_ID_MAX_LENGTH, null=True, blank=True)
    should_notify = models.BooleanField(default=True)
    should_notify_by_email = models.BooleanField(default=True)
    # Null: the kind's default (its email default for general kinds; on while watching an entity),
    # so the rows stored before chat existed need no data migration.
    should_notify_by_chat = models.BooleanField(
        null=True, blank=True, help_text="Also post to the member's chat channels; empty: the kind's default"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # Two constraints, because NULLs are distinct in a plain unique index: the
            # partial one stops duplicate general subscriptions on PostgreSQL and SQLite alike.
            models.UniqueConstraint(
                fields=["member", "kind", "entity_id"],
                condition=Q(entity_id__isnull=False),
                name="subscription_unique_entity",
            ),
            models.UniqueConstraint(
                fields=["member", "kind"],
                condition=Q(entity_id__isnull=True),
                name="subscription_unique_general",
            ),
            models.CheckConstraint(
                # Written with the entity kinds only, so a new general kind needs no migration.
                condition=(Q(kind__in=EntityKind.values) & Q(entity_id__isnull=False))
                | (~Q(kind__in=EntityKind.values) & Q(entity_id__isnull=True)),
                name="subscription_entity_id_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "entity_id"], name="subscription_kind_entity"),
            models.Index(fields=["kind", "member"], name="subscription_kind_member"),
        ]

    def __str__(self) -> str:
        target = f" {self.entity_id}" if self.entity_id else ""
        return f"{self.member_id}: {self.kind}{target}"

    @property
    def by_chat(self) -> bool:
        """The effective chat choice: the stored one, else the kind's default."""
        if self.should_notify_by_chat is not None:
            return self.should_notify_by_chat
        return self.should_notify if self.entity_id is not None else is_on_by_default(self.kind)
