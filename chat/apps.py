from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Chat channels"

    def ready(self) -> None:
        from chat.schedule import chat_sweep_schedule_on_post_migrate

        post_migrate.connect(chat_sweep_schedule_on_post_migrate, sender=self, dispatch_uid="chat-sweep")
