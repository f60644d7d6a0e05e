"""Fill the daily rollup from reports stored before it existed."""

from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def fill(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    DailyCount = apps.get_model("reports", "DailyCount")
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = Report.objects.order_by().values_list(
        "municipality_id", "occurred_at", "area_id", "category_id", "sharing"
    )
    counts = Counter(
        (muni, when.astimezone(zone).date(), area or 0, category, sharing)
        for muni, when, area, category, sharing in rows.iterator(chunk_size=20_000)
    )
    DailyCount.objects.bulk_create(
        [
            DailyCount(municipality_id=m, day=d, area_key=a, category_id=c, sharing=s, n=n)
            for (m, d, a, c, s), n in counts.items()
        ],
        batch_size=5000,
    )


def empty(apps, schema_editor):
    apps.get_model("reports", "DailyCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_daily_counts")]
    operations = [migrations.RunPython(fill, empty)]
