"""The consent's document reference and the scope's organisation names become Fernet tokens.

People write names into any text box; these two are now masked and encrypted
like the young person's name (trygg.sspf.crypto). Values already stored are
masked and encrypted here; without SSPF_KEYS and with rows to convert, the
migration stops and asks for a key rather than keep them in clear.
"""

from django.db import migrations, models


def encrypt_existing(apps, schema_editor):
    from trygg.reports.masking import mask_personal_data
    from trygg.sspf import crypto

    rows = [
        (apps.get_model("sspf", "Consent"), "document_reference"),
        (apps.get_model("sspf", "ScopeEntry"), "organisation_name"),
    ]
    if not any(model.objects.exclude(**{field: ""}).exists() for model, field in rows):
        return
    if not crypto.has_key():
        raise RuntimeError("Set SSPF_KEYS before this migration: SSPF consents hold text to encrypt.")
    for model, field in rows:
        for row in model.objects.exclude(**{field: ""}):
            plain = mask_personal_data(getattr(row, field))
            model.objects.filter(pk=row.pk).update(**{field: crypto.encrypt(plain)})


class Migration(migrations.Migration):
    dependencies = [("sspf", "0005_audit_delete_guard")]
    operations = [
        migrations.AlterField(
            model_name="consent",
            name="document_reference",
            field=models.TextField(verbose_name="document reference (encrypted)"),
        ),
        migrations.AlterField(
            model_name="scopeentry",
            name="organisation_name",
            field=models.TextField(blank=True, verbose_name="organisation name (encrypted)"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
