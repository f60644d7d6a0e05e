"""The demo partnership's citizen promise, modelled on Östersund's medborgarlöfte 2023–2024.

Focus areas, commitments and activities follow the real promise: safety, young
people's alcohol, narcotics, doping and tobacco (ANDT), crime in the local
community; EST, safety walks within EST, Purple Flag in the town centre.

Two promises are built. The current one runs over the two calendar years the
demo's reports cover (the reports run up to today, two years back), so the
indicators counted from them have values. Before it, the 2023–2024 promise
itself, archived, as the previous period citizens find on the public page:
its indicators are entered by hand from surveys, since the demo has no
reports from those years, and their values are illustrative demo values in
the style of Östersund's survey figures, not the real ones (the sources say
so). Everything goes through trygg.promises.actions; it is written once,
then left alone.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from trygg.geo.models import Area
from trygg.measures.models import Measure
from trygg.partners.models import Municipality
from trygg.promises import actions, indicators
from trygg.promises.models import Indicator, Owner, Promise
from trygg.reports.models import Category

TITLE = "Medborgarlöfte Östersund"
SITUATION = (
    "Många upplever otrygghet i centrum på kvällar och nätter, särskilt vid resecentrum och "
    "krogarna. Skadegörelse och klotter är vanligast i centrum och i några bostadsområden. "
    "Unga vuxna och ungdomar dricker alkohol i offentlig miljö, och narkotika finns i "
    "skolmiljöer. Lägesbilden i Trygg och polisens medborgardialoger pekar ut samma platser."
)
SOURCES = (
    "Polisens trygghetsmätning; kommunens trygghetsmätning; lägesbilden i Trygg "
    "(rapporter från fastighetsägare, polis, kommun och nattvandrare); Länsstyrelsens "
    "ANDT-underlag."
)
FOCUS_AREAS = (
    ("Trygghet", "Fler ska känna sig trygga i centrum och i sitt bostadsområde."),
    ("ANDT bland unga", "Ungas användning av alkohol, narkotika, dopning och tobak ska minska."),
    ("Brott i närmiljön", "Skadegörelse och ordningsstörningar i närmiljön ska minska."),
)


def build_promise(
    municipality: Municipality, orgs: dict[str, Any], users: dict[str, Any], *, today: date
) -> Promise | None:
    """The published promise with one follow-up, after the archived 2023–2024 one.

    None if the municipality already has a promise.
    """
    if Promise.objects.filter(municipality=municipality).exists():
        return None
    by = users["samordnare"]
    with transaction.atomic():
        start = today.year - 1
        # 2023–2024, or the two years before the current promise while 2024 is not yet over.
        previous_end = min(PREVIOUS_YEARS[1], start - 1)
        flag = _purple_flag(municipality, orgs, by, previous_end - 1)
        build_previous(municipality, orgs, by, flag, years=(previous_end - 1, previous_end),
                       today=today)  # fmt: skip
        promise = actions.create_promise(
            by=by, municipality=municipality, title=TITLE, start_year=start,
            end_year=today.year, situation=SITUATION, situation_sources=SOURCES,
        )  # fmt: skip
        focus = [
            actions.add_focus_area(promise=promise, by=by, title=t, description=d)
            for t, d in FOCUS_AREAS
        ]
        _commitments(promise, focus, orgs, by, flag)
        _indicators(promise, focus, municipality, by)
        _signatories(promise, orgs, by)
        actions.publish_promise(promise=promise, by=by, note="Undertecknat och publicerat")
        made_on = min(date(promise.end_year, 1, 20), today)
        actions.write_follow_up(promise=promise, by=by, made_on=made_on, narrative=(
            "EST-mötena hålls varannan vecka och trygghetsvandringarna i centrum är gjorda. "
            "Belysningen vid resecentrum är förbättrad. Purple Flag-arbetet pågår. Skadegörelsen "
            "följer vi varje kvartal; tryggheten mäts nästa gång i höst."
        ))  # fmt: skip
    return promise


PREVIOUS_YEARS = (2023, 2024)
PREVIOUS_SITUATION = (
    "Otryggheten är störst i centrum sena kvällar och vid resecentrum. Ungdomar dricker "
    "alkohol i offentlig miljö på helger, och skadegörelsen i några bostadsområden har ökat."
)
ILLUSTRATIVE = "illustrativa demovärden, inte de verkliga siffrorna"
PREVIOUS_SOURCES = (
    f"Polisens lokala trygghetsmätning 2022; kommunens trygghetsmätning; skolenkäten om "
    f"ANDT i årskurs 9 ({ILLUSTRATIVE})."
)
# (name, focus area, unit, direction, baseline 2022, target, values 2023 and 2024, source)
PREVIOUS_INDICATORS = (
    ("Andel som känner sig otrygga i centrum sena kvällar", 0, "%", "lower", "27", "22",
     ("25", "23"), "Polisens lokala trygghetsmätning"),
    ("Andel elever i årskurs 9 som druckit alkohol senaste året", 1, "%", "lower", "41", "35",
     ("38", "36"), "Skolenkäten om ANDT, årskurs 9"),
    ("Trygghetsvandringar genomförda inom EST", 0, "vandringar", "higher", "2", "6",
     ("4", "6"), "Kommunens protokoll från EST"),
)  # fmt: skip
PREVIOUS_PLAN = (
    ("both", 0, "Vi ska införa EST, effektiv samordning för trygghet, med en gemensam "
     "lägesbild varannan vecka.", (("EST införs i centrum", "polis", "2023", "done"),
                                   ("EST i två bostadsområden", "kommun", "2024", "done"))),
    ("municipality", 0, "Vi ska genomföra trygghetsvandringar inom EST.",
     (("Trygghetsvandringar i centrum och vid resecentrum", "kommun", "Vår och höst", "done"),)),
    ("both", 2, "Vi ska påbörja arbetet med Purple Flag i centrum.",
     (("Förstudie och ansökan om Purple Flag", "kommun", "2024", "done"),)),
    ("police", 1, "Vi ska vara där unga samlas och arbeta med skolorna mot ANDT.",
     (("Polisiär närvaro vid skolavslutningar och helger", "polis", "Helger", "done"),
      ("Information om ANDT till föräldrar i årskurs 8", "kommun", "Hösten 2024",
       "cancelled"))),
)  # fmt: skip


def build_previous(
    municipality: Municipality,
    orgs: dict[str, Any],
    by: Any,
    flag: Any,
    *,
    years: tuple[int, int],
    today: date,
) -> Promise:
    """The 2023–2024 promise: published, followed up after its last year, then archived."""
    first, last = years
    promise = actions.create_promise(
        by=by, municipality=municipality, title=TITLE, start_year=first,
        end_year=last, situation=PREVIOUS_SITUATION, situation_sources=PREVIOUS_SOURCES,
    )  # fmt: skip
    focus = [
        actions.add_focus_area(promise=promise, by=by, title=t, description=d)
        for t, d in FOCUS_AREAS
    ]
    for owner, area, text, activities in PREVIOUS_PLAN:
        commitment = actions.add_commitment(promise=promise, by=by, owner=owner, text=text,
                                            focus_area=focus[area])  # fmt: skip
        for what, org, when, status in activities:
            actions.add_activity(
                commitment=commitment, by=by, what=what, responsible=orgs[org], when=when,
                status=status, initiative=flag if "Purple Flag" in what else None,
            )  # fmt: skip
    _previous_indicators(promise, focus, by, years)
    _signatories(promise, orgs, by)
    actions.publish_promise(promise=promise, by=by, note="Undertecknat och publicerat")
    actions.write_follow_up(promise=promise, by=by, made_on=min(date(last + 1, 2, 1), today),
                            narrative=(
        "EST är infört i centrum och två bostadsområden, och trygghetsvandringarna hölls som "
        "planerat. Färre känner sig otrygga i centrum, men målet nåddes inte helt. "
        "Föräldrainformationen ersattes av skolornas egna föräldramöten. Purple Flag-arbetet "
        "fortsätter i nästa medborgarlöfte."
    ))  # fmt: skip
    return actions.archive_promise(promise=promise, by=by, note="Perioden är slut")


def _previous_indicators(
    promise: Promise, focus: list[Any], by: Any, years: tuple[int, int]
) -> None:
    for name, area, unit, direction, baseline, target, values, source in PREVIOUS_INDICATORS:
        indicator = actions.add_indicator(
            promise=promise, by=by, name=name, kind=Indicator.Kind.MANUAL,
            baseline_year=years[0] - 1, baseline_value=baseline, target_value=target,
            direction=direction, unit=unit, source=f"{source} ({ILLUSTRATIVE})",
            focus_area=focus[area], every=Indicator.Every.YEAR,
        )  # fmt: skip
        for year, value in zip(years, values, strict=True):
            actions.enter_indicator_value(indicator=indicator, by=by, period=str(year),
                                          value=value)  # fmt: skip


def _purple_flag(municipality: Municipality, orgs: dict[str, Any], by: Any, year: int) -> Any:
    flag = actions.create_initiative(
        by=by, municipality=municipality, name="Purple Flag", owner=orgs["kommun"],
        description="Certifiering av en trygg och levande stadskärna kvällar och nätter.",
        contact="Centrumsamordnaren (demo)", starts_on=date(year, 1, 1),
    )  # fmt: skip
    actions.set_initiative_figures(
        initiative=flag, by=by, year=year, sessions=6, participants=140,
        note="Möten med krögare, handlare och fastighetsägare",
    )  # fmt: skip
    return flag


def _commitments(
    promise: Promise, focus: list[Any], orgs: dict[str, Any], by: Any, flag: Any
) -> None:
    police, municipality = orgs["polis"], orgs["kommun"]
    walk = Measure.objects.filter(municipality=promise.municipality,
                                  title="Trygghetsvandring med boende").first()  # fmt: skip
    plan = [
        (Owner.BOTH, focus[0], "Vi ska arbeta med EST, effektiv samordning för trygghet: en "
         "gemensam lägesbild varannan vecka och åtgärder där den pekar.", [
            ("EST-möte med lägesbild varannan vecka", police, "Varannan vecka", "ongoing", None),
            ("Åtgärdsplan följs upp på varje EST-möte", municipality, "Löpande", "ongoing", None),
        ]),
        (Owner.MUNICIPALITY, focus[0], "Vi ska genomföra trygghetsvandringar inom EST där "
         "lägesbilden visar otrygghet.", [
            ("Trygghetsvandring i centrum", municipality, "Våren", "done", None),
            ("Trygghetsvandring med boende", municipality, "Hösten", "planned", walk),
        ]),
        (Owner.BOTH, focus[2], "Vi ska arbeta för att centrum blir Purple Flag-certifierat.", [
            ("Purple Flag-certifiering av centrum", municipality, "Under perioden", "ongoing",
             flag),
            ("Utbildning i ansvarsfull alkoholservering", municipality, "Varje termin", "done",
             None),
        ]),
        (Owner.POLICE, focus[1], "Vi ska vara där unga samlas och arbeta med skolorna mot "
         "alkohol, narkotika, dopning och tobak.", [
            ("Polisiär närvaro vid skolor och fritidsgårdar", police, "Fredagskvällar",
             "ongoing", None),
            ("Föräldramöten om ANDT i årskurs 7", municipality, "Hösten", "planned", None),
        ]),
    ]  # fmt: skip
    for owner, area, text, activities in plan:
        commitment = actions.add_commitment(promise=promise, by=by, owner=owner, text=text,
                                            focus_area=area)  # fmt: skip
        for what, responsible, when, status, link in activities:
            measure = link if isinstance(link, Measure) else None
            actions.add_activity(
                commitment=commitment, by=by, what=what, responsible=responsible, when=when,
                status=status, measure=measure, initiative=None if measure else link,
            )  # fmt: skip


def _indicators(promise: Promise, focus: list[Any], municipality: Municipality, by: Any) -> None:
    damage = Category.objects.filter(code="damage")
    centre = Area.objects.filter(municipality=municipality, name="Centrum")
    first = promise.start_year
    counted = [
        ("Skadegörelse och klotter i kommunen", focus[2], damage, (), "Minska med 10 %"),
        ("Ordningsstörningar i centrum", focus[0], Category.objects.filter(code="disorder"),
         centre, "Minska med 10 %"),
    ]  # fmt: skip
    for name, area, categories, areas, goal in counted:
        indicator = actions.add_indicator(
            promise=promise, by=by, name=name, kind=Indicator.Kind.COMPUTED, goal=goal,
            every=Indicator.Every.QUARTER, baseline_year=first, target_value=0,
            direction=Indicator.Direction.LOWER, categories=categories, areas=areas,
            unit="rapporter", focus_area=area,
        )  # fmt: skip
        # The target is a tenth below the first year's mean quarter, as the goal says.
        baseline = indicators.computed_baseline(indicator)
        target = (baseline * Decimal("0.9")).quantize(Decimal("1"), ROUND_HALF_UP)
        actions.update_part(part=indicator, by=by, target_value=target)
    survey = actions.add_indicator(
        promise=promise, by=by, name="Andel som känner sig trygga i centrum på kvällen",
        kind=Indicator.Kind.MANUAL, baseline_year=first - 1, baseline_value="58",
        target_value="65", direction=Indicator.Direction.HIGHER, unit="%",
        source="Kommunens trygghetsmätning (demo)", focus_area=focus[0],
        goal="Fler ska känna sig trygga",
    )  # fmt: skip
    actions.enter_indicator_value(indicator=survey, by=by, period=str(first), value="61")


def _signatories(promise: Promise, orgs: dict[str, Any], by: Any) -> None:
    signed = date(promise.start_year, 2, 1)
    actions.add_signatory(promise=promise, by=by, name="Anders Exempel (demo)",
                          role="Lokalpolisområdeschef", organisation=orgs["polis"],
                          signed_on=signed)  # fmt: skip
    actions.add_signatory(promise=promise, by=by, name="Maria Exempel (demo)",
                          role="Kommunstyrelsens ordförande", organisation=orgs["kommun"],
                          signed_on=signed)  # fmt: skip
