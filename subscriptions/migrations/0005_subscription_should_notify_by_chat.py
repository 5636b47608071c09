from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0004_working_group_entity_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="should_notify_by_chat",
            field=models.BooleanField(
                blank=True,
                help_text="Also post to the member's chat channels; empty: the kind's default",
                null=True,
            ),
        ),
    ]
