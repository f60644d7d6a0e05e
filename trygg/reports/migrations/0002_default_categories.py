"""The default category taxonomy of DOMAIN.md, with stable codes."""

from django.db import migrations

# (group code, sv, en, colour, [(code, sv, en), ...])
TAXONOMY = [
    ("damage", "Skadegörelse", "Criminal damage", "#d62728", [
        ("graffiti", "Klotter", "Graffiti"),
        ("broken_glass", "Glaskross", "Broken glass"),
        ("property_damage", "Annan skadegörelse", "Other damage"),
        ("arson", "Anlagd brand", "Arson"),
        ("stone_throwing", "Stenkastning", "Stone throwing"),
    ]),
    ("litter", "Nedskräpning/miljö", "Litter and environment", "#8c564b", [
        ("littering", "Nedskräpning", "Littering"),
        ("syringes", "Sprutor/drogrester", "Syringes or drug waste"),
        ("dumping", "Dumpat gods", "Dumped goods"),
        ("stockpile", "Tillhyggen/stenupplag", "Weapons or stone stockpile"),
    ]),
    ("disorder", "Ordningsstörning", "Disorder", "#ff7f0e", [
        ("fight", "Bråk", "Fight"),
        ("noise", "Oljud/hög musik", "Noise or loud music"),
        ("intoxication", "Påverkade personer", "Intoxicated persons"),
        ("threat_to_staff", "Hot mot personal", "Threat to staff"),
    ]),
    ("gathering", "Otrygghetsskapande samling", "Intimidating gathering", "#9467bd", []),
    ("drugs", "Narkotika", "Drugs", "#17becf", [
        ("drug_dealing", "Misstänkt försäljning", "Suspected dealing"),
        ("open_drug_scene", "Öppen drogscen", "Open drug scene"),
        ("drug_use", "Missbruk på plats", "Drug use on site"),
    ]),
    ("violence", "Våld", "Violence", "#7f0000", [
        ("assault", "Misshandel", "Assault"),
        ("robbery", "Rån", "Robbery"),
        ("threat", "Olaga hot", "Unlawful threat"),
    ]),
    ("theft", "Inbrott/stöld", "Burglary and theft", "#1f77b4", [
        ("burglary_storage", "Inbrott förråd/källare", "Burglary, storage or basement"),
        ("burglary_premises", "Inbrott lokal", "Burglary, premises"),
        ("burglary_home", "Inbrott bostad", "Burglary, home"),
        ("vehicle_crime", "Bil/fordon", "Vehicle crime"),
        ("theft_other", "Annan stöld", "Other theft"),
    ]),
    ("traffic", "Motorburen problematik", "Motor vehicle nuisance", "#bcbd22", [
        ("reckless_driving", "Buskörning", "Reckless driving"),
        ("a_tractor", "A-traktor/EPA", "A-tractor or EPA vehicle"),
        ("moped_on_path", "Moped på gångbana", "Moped on footpath"),
    ]),
    ("rough_sleeping", "Olovligt boende/sovplats", "Rough sleeping", "#7f7f7f", []),
    ("unsafe_place", "Otrygg plats", "Unsafe place", "#e377c2", [
        ("lighting", "Bristande belysning", "Poor lighting"),
        ("vegetation", "Skymmande vegetation", "Obstructing vegetation"),
        ("poor_visibility", "Dålig insyn", "Poor visibility"),
        ("deserted", "Ödslig plats", "Deserted place"),
        ("neglect", "Eftersatt underhåll", "Neglected maintenance"),
    ]),
    ("rumours", "Sociala medier/rykten", "Social media and rumours", "#aec7e8", []),
    ("event", "Arrangemang/händelse av betydelse", "Significant event", "#98df8a", []),
    ("all_calm", "Lugnt", "All calm", "#2ca02c", []),
]


def load(apps, schema_editor):
    Category = apps.get_model("reports", "Category")
    order = 0
    for code, sv, en, colour, children in TAXONOMY:
        order += 10
        group, _ = Category.objects.update_or_create(
            code=code,
            defaults={"name_sv": sv, "name_en": en, "colour": colour, "sort_order": order,
                      "is_incident": code != "all_calm", "group": None},
        )
        for child_code, child_sv, child_en in children:
            order += 1
            Category.objects.update_or_create(
                code=child_code,
                defaults={"name_sv": child_sv, "name_en": child_en, "colour": colour,
                          "sort_order": order, "group": group},
            )


def unload(apps, schema_editor):
    apps.get_model("reports", "Category").objects.filter(group__isnull=False).delete()
    apps.get_model("reports", "Category").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
