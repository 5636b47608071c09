from django.apps import AppConfig


class QnIngestConfig(AppConfig):
    name = "qn_ingest"
    verbose_name = "Query-node ingest"
