from anymail.signals import tracking
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications.digest_schedule import digest_schedules_on_post_migrate
        from notifications.schedule import sweep_schedule_on_post_migrate
        from notifications.tracking import tracking_event_received

        post_migrate.connect(sweep_schedule_on_post_migrate, sender=self, dispatch_uid="notifications-sweep")
        post_migrate.connect(
            digest_schedules_on_post_migrate, sender=self, dispatch_uid="notifications-digests"
        )
        tracking.connect(tracking_event_received, dispatch_uid="notifications-tracking")
        # The digest task lives in a module of its own; importing it registers it with Celery.
        import notifications.digest_tasks  # noqa: F401
