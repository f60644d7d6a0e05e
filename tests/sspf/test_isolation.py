"""SSPF is sealed by design: the model graph holds no path between it and the place-based data.

Read from Django's own registry, so a link added anywhere later, in either
direction, fails here without anyone remembering to list it.
"""

from django.apps import apps
from django.conf import settings
from django.contrib import admin

SSPF = "sspf"
# What an SSPF model may point at outside its app: who acts, and which partnership's case it is.
ALLOWED_OUTSIDE = {settings.AUTH_USER_MODEL.lower(), "partners.municipality"}


def relations():
    """(model, field, related model) for every relation field of every installed model."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields(include_hidden=True):
            # Forward links only (many-to-many included; a reverse is another's forward);
            # the auto-created through tables are models here too.
            if field.is_relation and field.related_model is not None and field.concrete:
                yield model, field, field.related_model


def label(model):
    return model._meta.label_lower


def test_sspf_models_point_only_at_sspf_users_and_the_municipality():
    found = [
        f"{label(model)}.{field.name} -> {label(target)}"
        for model, field, target in relations()
        if model._meta.app_label == SSPF
        and target._meta.app_label != SSPF
        and label(target) not in ALLOWED_OUTSIDE
    ]
    assert found == []


def test_no_model_outside_sspf_points_at_an_sspf_model():
    found = [
        f"{label(model)}.{field.name} -> {label(target)}"
        for model, field, target in relations()
        if model._meta.app_label != SSPF and target._meta.app_label == SSPF
    ]
    assert found == []


def test_users_and_municipalities_offer_no_way_back_to_sspf_data():
    # related_name="+" on every link out: no user.sspf_cases, no municipality.case_set.
    for name in ALLOWED_OUTSIDE:
        model = apps.get_model(name)
        reverse = [
            f.name
            for f in model._meta.get_fields(include_hidden=False)
            if f.auto_created and not f.concrete and f.related_model._meta.app_label == SSPF
        ]
        assert reverse == [], name


def test_the_graph_really_is_read_links_and_many_to_many_included():
    # Guards the tests above against a helper that finds no relations at all.
    found = {(label(m), f.name, label(t)) for m, f, t in relations()}
    assert ("sspf.case", "municipality", "partners.municipality") in found
    assert ("sspf.meeting", "attendees", "sspf.participant") in found
    assert ("measures.measure", "reports", "reports.report") in found


def test_no_sspf_model_is_registered_in_the_admin_site():
    registered = [label(model) for model in admin.site._registry if model._meta.app_label == SSPF]
    assert registered == []
