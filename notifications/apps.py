from anymail.signals import tracking
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications.schedule import sweep_schedule_on_post_migrate
        from notifications.tracking import tracking_event_received

        post_migrate.connect(sweep_schedule_on_post_migrate, sender=self, dispatch_uid="notifications-sweep")
        tracking.connect(tracking_event_received, dispatch_uid="notifications-tracking")
