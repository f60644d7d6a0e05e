"""Shape of imported area input: GeoJSON files and single geometries.

`parse_areas` turns a decoded GeoJSON document into named polygons or a
list of messages that name the bad feature by its index in the file (0 for
the first), so an administrator can find it. Nothing here writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import shapely
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.errors import GEOSException
from shapely.geometry import shape

from trygg.geo.models import Area
from trygg.partners.models import Municipality

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_TYPES = ("Polygon", "MultiPolygon")
NAME_LIMIT = Area._meta.get_field("name").max_length or 120


@dataclass(frozen=True)
class AreaShape:
    name: str
    geometry: dict[str, Any]  # GeoJSON Polygon or MultiPolygon, WGS84


def geometry_problem(geometry: Any) -> str | None:
    """Why `geometry` cannot be an area's polygon, or None if it can."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ALLOWED_TYPES:
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        return _("geometry type %(type)s is not allowed (Polygon or MultiPolygon only)") % {
            "type": kind
        }
    try:
        polygon = shape(geometry)
    except (GEOSException, ValueError, TypeError, IndexError, AttributeError):
        return _("the coordinates do not form a polygon")
    if polygon.is_empty:
        return _("the geometry is empty")
    coords = shapely.get_coordinates(polygon)
    # Projected coordinates (e.g. SWEREF 99 TM metres) land far outside these ranges.
    if (abs(coords[:, 0]) > 180).any() or (abs(coords[:, 1]) > 90).any():
        return _("coordinates are not WGS84 longitude/latitude")
    if not polygon.is_valid:
        return _("invalid geometry: %(reason)s") % {"reason": shapely.is_valid_reason(polygon)}
    return None


def _features(data: Any, single_name: str) -> list[tuple[Any, Any]]:
    """(geometry, properties) pairs of a FeatureCollection, a Feature or a bare geometry."""
    if not isinstance(data, dict):
        raise ValidationError(_("The file is not a GeoJSON object."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError(_("The FeatureCollection has no features."))
        return [
            (f.get("geometry"), f.get("properties")) if isinstance(f, dict) else (None, None)
            for f in features
        ]
    if data.get("type") == "Feature":
        return [(data.get("geometry"), data.get("properties"))]
    return [(data, {"name": single_name})]


def _name(properties: Any, name_property: str, single_name: str) -> str:
    value = properties.get(name_property) if isinstance(properties, dict) else None
    return str(value if value not in (None, "") else single_name).strip()


def parse_areas(data: Any, *, name_property: str, single_name: str = "") -> list[AreaShape]:
    """Every feature as an AreaShape; raises ValidationError naming each bad feature."""
    shapes: list[AreaShape] = []
    errors: list[str] = []
    seen: set[str] = set()
    for index, (geometry, properties) in enumerate(_features(data, single_name)):
        name = _name(properties, name_property, single_name)
        problem = geometry_problem(geometry)
        if not name:
            problem = _("no name in property “%(p)s”") % {"p": name_property}
        elif len(name) > NAME_LIMIT:
            problem = _("the name is longer than %(n)d characters") % {"n": NAME_LIMIT}
        elif name in seen:
            problem = _("the name “%(name)s” occurs twice in the file") % {"name": name}
        if problem:
            label = f" ({name})" if name else ""
            errors.append(
                _("Feature %(i)d%(label)s: %(problem)s.")
                % {"i": index, "label": label, "problem": problem}
            )
            continue
        seen.add(name)
        shapes.append(AreaShape(name, geometry))
    if errors:
        raise ValidationError(errors)
    return shapes


class AreaUploadForm(forms.Form):
    municipality = forms.ModelChoiceField(
        Municipality.objects.all(), label=gettext_lazy("municipality")
    )
    file = forms.FileField(
        label=gettext_lazy("GeoJSON file"),
        help_text=gettext_lazy(
            "A FeatureCollection (one area per feature) or a single Polygon/MultiPolygon, "
            "in WGS84. Areas with a name that already exists get the new geometry."
        ),
    )
    name_property = forms.CharField(
        label=gettext_lazy("name property"), initial="name", max_length=100
    )
    name = forms.CharField(
        label=gettext_lazy("name"),
        required=False,
        max_length=NAME_LIMIT,
        help_text=gettext_lazy("For a file with a single geometry, or features without a name."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("kind"), choices=Area.Kind.choices, initial=Area.Kind.OTHER
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".geojson", ".json")):
            raise ValidationError(_("Choose a .geojson or .json file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValidationError(_("The file is not valid JSON: %(e)s") % {"e": e}) from e

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "file" in cleaned and "name_property" in cleaned:
            cleaned["shapes"] = parse_areas(
                cleaned["file"],
                name_property=cleaned["name_property"],
                single_name=cleaned.get("name", ""),
            )
        return cleaned


class AreaAdminForm(forms.ModelForm):
    """The admin's change form, with the same geometry check as the upload."""

    class Meta:
        model = Area
        fields = ["municipality", "name", "kind", "geometry", "priority", "deso_code", "regso_code"]
        # The foreign key has no verbose name of its own; set here, it needs no migration.
        labels = {"municipality": gettext_lazy("Municipality")}

    def clean_geometry(self) -> Any:
        geometry = self.cleaned_data["geometry"]
        problem = geometry_problem(geometry)
        if problem:
            raise ValidationError(problem)
        return geometry
