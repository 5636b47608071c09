from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from pioneer.rate_limits import cache_table_ensure

        # The rate limits of sign-in and verification emails count in Django's cache; without
        # CACHE_URL that is a database table, created with the others by `migrate`.
        post_migrate.connect(cache_table_ensure, sender=self, dispatch_uid="members-cache-table")
