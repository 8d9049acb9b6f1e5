# The violation cases moved to governance (governance 0004 copied every row first).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0003_draft_channel'),
        ('governance', '0004_violations'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ViolationCase',
        ),
    ]
