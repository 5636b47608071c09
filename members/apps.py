from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def cache_table_ensure(sender=None, using: str = "default", **kwargs) -> None:
    """post_migrate: create the database cache table (a no-op when the cache is Redis)."""
    call_command("createcachetable", database=using, verbosity=0)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        # Django's cache (the preferences page's entity titles) is a database table without
        # CACHE_URL, created with the others by `migrate`.
        post_migrate.connect(cache_table_ensure, sender=self, dispatch_uid="members-cache-table")
