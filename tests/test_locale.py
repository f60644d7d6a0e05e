"""The Swedish catalogue is complete, and the committed .mo matches the .po."""

import ast
import gettext
import re
from pathlib import Path

LC = Path(__file__).resolve().parent.parent / "trygg" / "locale" / "sv" / "LC_MESSAGES"


def po_entries():
    """(msgid, msgstr or [plural forms], flags) for every entry but the header."""
    text = (LC / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        parts: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r"^(msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                key = match[1]
                parts[key] = ast.literal_eval(match[2])
            elif line.startswith('"') and key:
                parts[key] += ast.literal_eval(line)
        if "msgid" in parts and not block.lstrip().startswith("#~"):
            plural = [v for k, v in sorted(parts.items()) if k.startswith("msgstr[")]
            yield parts["msgid"], plural or parts.get("msgstr", ""), "fuzzy" in block


def test_every_string_has_a_swedish_translation():
    untranslated = [
        m for m, s, fuzzy in po_entries() if fuzzy or not all(s if isinstance(s, list) else [s])
    ]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_po_file():
    with open(LC / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [m for m, s, _ in po_entries() if isinstance(s, str) and compiled.gettext(m) != s]
    assert stale == [], "run: cd trygg && trygg compilemessages"
