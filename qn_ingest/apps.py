from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QnIngestConfig(AppConfig):
    name = "qn_ingest"
    verbose_name = "Query-node ingest"

    def ready(self) -> None:
        from qn_ingest.schedule import ingest_schedule_on_post_migrate

        # A fresh install is scheduled by `migrate`, without a click in the admin.
        post_migrate.connect(ingest_schedule_on_post_migrate, sender=self, dispatch_uid="qn-ingest-schedule")
