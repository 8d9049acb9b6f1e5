"""Alerts remember their query's name, so they stay readable after the query is deleted."""

from django.db import migrations, models


def fill_query_names(apps, schema_editor):
    Alert = apps.get_model("listening", "Alert")
    for alert in Alert.objects.filter(query__isnull=False).select_related("query"):
        alert.query_name = alert.query.name
        alert.save(update_fields=["query_name"])


class Migration(migrations.Migration):
    dependencies = [("listening", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="query_name",
            field=models.CharField(blank=True, default="", max_length=120, verbose_name="query"),
        ),
        migrations.RunPython(fill_query_names, migrations.RunPython.noop),
    ]
