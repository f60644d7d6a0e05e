"""The import's HTML steps: the upload, the column mapping and the category mapping.

Forms only read what was chosen; what a row must hold is intake's rule
(trygg.reports.intake), and who may import access.py's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.imports.convert import REQUIRED, TARGETS
from trygg.partners.models import Organisation
from trygg.reports.models import Category, category_tree

# A little under the request body limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 32 MB):
# ~300,000 rows of a caretaker's CSV. Larger files go through `trygg import`.
MAX_UPLOAD_BYTES = 30 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (from Excel or another program), XLSX or GeoJSON; at most 30 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.geojson,.json"}),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        if len(organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Organisation"), coerce=int,
                choices=[("", "—")] + [(o.pk, o.name) for o in organisations],
            )  # fmt: skip
            self.order_fields(["organisation", "file"])

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 30 MB."))
        return upload

    def organisation(self) -> Organisation | None:
        if len(self.organisations) == 1:
            return next(iter(self.organisations.values()))
        return self.organisations.get(self.cleaned_data.get("organisation"))  # type: ignore[arg-type]


class ColumnsForm(forms.Form):
    """For each of our fields, the file's column that holds it (or none)."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [(h, h) for h in headers]
        for name, (label, _words) in TARGETS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=name in REQUIRED
            )

    def columns(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}


class CategoriesForm(forms.Form):
    """For each word in the file's category column, our category (or none: the row is left out)."""

    def __init__(self, *args: Any, words: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.words = words
        choices: list[Any] = [("", _("— leave these rows out —"))]
        for group, children in category_tree(Category.objects.filter(is_active=True)):
            options = [(group.code, group.name)] + [(c.code, c.name) for c in children]
            choices.append((group.name, options))
        for i, word in enumerate(words):
            self.fields[f"word_{i}"] = forms.ChoiceField(
                label=word, choices=choices, required=False
            )

    def categories(self) -> dict[str, str]:
        return {w: self.cleaned_data.get(f"word_{i}") or "" for i, w in enumerate(self.words)}
