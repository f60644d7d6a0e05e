"""Stored public snapshots: areas in name order, counts as numbers, suppression a field.

Snapshots written before this migration listed areas by count and then name,
so each break in alphabetical order inside the "<5" block marked a smaller
hidden count. They are re-sorted by name, their "<5" and "≥N" strings become
{"count": null, "suppressed": true} and a total range, and they say whether the
municipality is a demo. Self-contained on purpose: a migration must not follow
later changes of the app's code.
"""

from django.db import migrations

SUPPRESS_BELOW = 5
SWEDISH_LAST = str.maketrans({"å": "{0", "ä": "{1", "ö": "{2"})


def _name_order(name):
    return (name.casefold().translate(SWEDISH_LAST), name)


def _cell(area):
    if "suppressed" in area:
        return {"count": area["count"], "suppressed": bool(area["suppressed"])}
    value = area.get("count")
    if value == "<5" or (isinstance(value, int) and 0 < value < SUPPRESS_BELOW):
        return {"count": None, "suppressed": True}
    return {"count": int(value or 0), "suppressed": False}


def _total(areas):
    hidden = sum(1 for a in areas if a["suppressed"])
    shown = sum(a["count"] for a in areas if not a["suppressed"])
    return {
        "count": None if hidden else shown,
        "suppressed": bool(hidden),
        "min": shown + hidden,
        "max": shown + hidden * (SUPPRESS_BELOW - 1),
    }


def rebuild_snapshot(snapshot, *, demo):
    """A stored snapshot in the current public shape; idempotent."""
    areas = [{"name": a["name"], **_cell(a)} for a in snapshot.get("areas", [])]
    areas.sort(key=lambda a: _name_order(a["name"]))
    return {
        "municipality": {**snapshot.get("municipality", {}), "demo": bool(demo)},
        "period": snapshot.get("period", {}),
        "total": _total(areas),
        "areas": areas,
    }


def forwards(apps, schema_editor):
    Publication = apps.get_model("situation", "Publication")
    for publication in Publication.objects.select_related("municipality").iterator():
        if publication.snapshot is None:
            continue
        snapshot = rebuild_snapshot(publication.snapshot, demo=publication.municipality.is_demo)
        publication.snapshot = snapshot
        # Rows published before the days were kept: the overlap rule needs them.
        period = snapshot["period"]
        if publication.first_day is None and period.get("first_day"):
            publication.first_day = period["first_day"]
            publication.last_day = period["last_day"]
        publication.save(update_fields=["snapshot", "first_day", "last_day"])


class Migration(migrations.Migration):
    dependencies = [("situation", "0003_publication_withdrawn")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
