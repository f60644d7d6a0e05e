from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_dailycount_changed_at")]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["reported_at", "id"], name="report_received"),
        ),
    ]
