"""Short Swedish template phrases for demo report descriptions.

About a third of the demo reports carry a phrase; now and then the reporter
adds a phone number, which the intake masks on write, so the masking is
visible in the demo.
"""

from __future__ import annotations

import numpy as np

TEXT_SHARE = 0.3
PHONE_SHARE = 0.05  # of the reports with a text

PHRASES = {
    "graffiti": ["Klotter på fasaden vid entrén.", "Nytt klotter i gångtunneln."],
    "broken_glass": ["Krossad ruta i trapphuset.", "Glaskross vid busshållplatsen."],
    "property_damage": ["Sönderslagen belysning vid gångvägen.", "Tvättstugans dörr uppbruten."],
    "arson": ["Brand i soptunna under natten."],
    "stone_throwing": ["Stenar kastade mot fönster på bottenvåningen."],
    "littering": ["Mycket skräp vid miljöstugan.", "Nedskräpat i parken efter helgen."],
    "dumping": ["Dumpade möbler vid garagen."],
    "syringes": ["Sprutor hittade vid lekplatsen."],
    "fight": ["Bråk mellan flera personer utanför krogen.", "Slagsmål vid torget."],
    "noise": ["Hög musik från bil på parkeringen.", "Högljudda personer utanför porten."],
    "intoxication": ["Kraftigt berusade personer i parken.", "Påverkade personer vid stationen."],
    "threat_to_staff": ["Personal hotad vid entrén."],
    "gathering": ["Grupp samlas i trapphuset varje kväll.", "Större samling vid skolgården."],
    "drug_dealing": ["Misstänkt försäljning vid gångtunneln."],
    "drug_use": ["Personer som injicerar i källargången."],
    "burglary_storage": ["Inbrott i förråd, flera dörrar uppbrutna."],
    "vehicle_crime": ["Bil med krossad sidoruta på parkeringen."],
    "reckless_driving": ["Buskörning på parkeringen sent på kvällen."],
    "a_tractor": ["A-traktorer kör i hög fart runt torget."],
    "moped_on_path": ["Mopeder på gång- och cykelvägen."],
    "lighting": ["Trasig gatubelysning längs gångvägen.", "Mörkt vid busshållplatsen."],
    "vegetation": ["Buskage skymmer sikten vid cykelvägen."],
    "poor_visibility": ["Dålig insyn vid garagen."],
    "deserted": ["Ödsligt och mörkt mellan husen på kvällen."],
    "rough_sleeping": ["Någon har sovit i soprummet."],
}
FALLBACK = ["Noterat under rondering.", "Boende har hört av sig om detta."]


def describe(rng: np.random.Generator, codes: list[str]) -> list[str]:
    """A description or "" for each category code."""
    n = len(codes)
    with_text = rng.random(n) < TEXT_SHARE
    with_phone = rng.random(n) < PHONE_SHARE
    picks = rng.integers(0, 1000, n)
    digits = rng.integers(0, 10, (n, 7))
    texts = []
    for i, code in enumerate(codes):
        if not with_text[i]:
            texts.append("")
            continue
        phrases = PHRASES.get(code, FALLBACK)
        text = phrases[picks[i] % len(phrases)]
        if with_phone[i]:
            d = "".join(map(str, digits[i]))
            text += f" Ring mig på 070-{d[:3]} {d[3:5]} {d[5:]} om ni vill veta mer."
        texts.append(text)
    return texts
