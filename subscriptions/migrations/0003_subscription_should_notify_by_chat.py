from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0002_kind_column_from_the_table"),
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
