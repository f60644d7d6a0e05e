"""The default mapping of the police's event types to our category groups (reports' 0002).

A type not listed here is added by the first import that meets it, unmapped,
for the administrator to decide. Types with no group are counted in the
police series but belong to none of the partners' groups (traffic accidents,
fires, missing persons); summaries and updates are never counted.
"""

from django.db import migrations

# police event type: our group code, or None for none of them
MAPPING = {
    # Violence
    "Misshandel": "violence", "Misshandel, grov": "violence", "Rån": "violence",
    "Rån, försök": "violence", "Rån övrigt": "violence", "Rån väpnat": "violence",
    "Olaga hot": "violence", "Mord/dråp": "violence", "Mord/dråp, försök": "violence",
    "Våld/hot mot tjänsteman": "violence", "Skottlossning": "violence",
    "Skottlossning, misstänkt": "violence", "Knivlagen": "violence", "Vapenlagen": "violence",
    "Explosion": "violence", "Detonation": "violence", "Våldtäkt": "violence",
    "Våldtäkt, försök": "violence", "Sexualbrott": "violence", "Larm Överfall": "violence",
    "Olaga frihetsberövande/människorov": "violence", "Bombhot": "violence",
    # Burglary and theft
    "Stöld": "theft", "Stöld/inbrott": "theft", "Stöld, försök": "theft", "Inbrott": "theft",
    "Inbrott, försök": "theft", "Motorfordon, stöld": "theft",
    "Motorfordon, anträffat stulet": "theft", "Häleri": "theft", "Larm Inbrott": "theft",
    # Criminal damage
    "Skadegörelse": "damage", "Mordbrand": "damage",
    "Sabotage mot blåljusverksamhet": "damage",
    # Disorder
    "Bråk": "disorder", "Fylleri": "disorder", "Fylleri/LOB": "disorder",
    "Ofredande/förargelse": "disorder", "Ordningslagen": "disorder", "Smällar": "disorder",
    "Alkohollagen": "disorder", "Hemfridsbrott": "disorder", "Olaga intrång": "disorder",
    # Drugs
    "Narkotikabrott": "drugs",
    # Motor vehicle nuisance
    "Trafikbrott": "traffic", "Olovlig körning": "traffic", "Rattfylleri": "traffic",
    # Counted, in none of our groups
    "Trafikolycka": None, "Trafikolycka, personskada": None, "Trafikolycka, singel": None,
    "Trafikolycka, vilt": None, "Trafikolycka, smitning från": None, "Trafikhinder": None,
    "Trafikkontroll": None, "Kontroll person/fordon": None, "Kontroll": None, "Brand": None,
    "Brand automatlarm": None, "Räddningsinsats": None, "Fjällräddning": None,
    "Arbetsplatsolycka": None, "Försvunnen person": None, "Anträffad död": None,
    "Sjukdom/olycksfall": None, "Djur": None, "Bedrägeri": None, "Åldringsbrott": None,
    "Missbruk av urkund": None, "Förfalskningsbrott": None, "Ekobrott": None,
    "Miljöbrott": None, "Hets mot folkgrupp": None, "Sedlighetsbrott": None,
    "Farligt föremål, misstänkt": None, "Polisinsats/kommendering": None,
    "Efterlyst person": None, "Anträffat gods": None, "Upphittat föremål": None,
    "Skyddslagen": None, "Sjölagen": None, "Luftfartslagen": None, "Utlänningslagen": None,
    "Lagen om hundar och katter": None, "Vållande till kroppsskada": None,
    "Varningslarm/haveri": None, "Spridning smitta/kemikalier": None,
    "Information": None, "Övrigt": None,
}  # fmt: skip
# Kept, never counted: the police's digests and follow-ups of other notices.
NOT_COUNTED = [
    "Sammanfattning natt", "Sammanfattning kväll och natt", "Sammanfattning dag",
    "Sammanfattning kväll", "Sammanfattning eftermiddag", "Sammanfattning helg",
    "Sammanfattning vecka", "Sammanfattning dygn", "Uppdatering",
]  # fmt: skip


def load(apps, schema_editor):
    Category = apps.get_model("reports", "Category")
    EventType = apps.get_model("policeevents", "PoliceEventType")
    groups = {c.code: c for c in Category.objects.filter(group__isnull=True)}
    for name, code in MAPPING.items():
        EventType.objects.update_or_create(
            name=name, defaults={"group": groups.get(code), "counted": True, "reviewed": True}
        )
    for name in NOT_COUNTED:
        EventType.objects.update_or_create(
            name=name, defaults={"group": None, "counted": False, "reviewed": True}
        )


def unload(apps, schema_editor):
    EventType = apps.get_model("policeevents", "PoliceEventType")
    EventType.objects.filter(name__in=[*MAPPING, *NOT_COUNTED], events__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("policeevents", "0001_police_events"),
        ("reports", "0002_default_categories"),
    ]
    operations = [migrations.RunPython(load, unload)]
