"""The Swedish catalogue is complete, and the committed .mo matches the .po."""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LC = Path(__file__).resolve().parent.parent / "trygg" / "locale" / "sv" / "LC_MESSAGES"


def po_entries(text: str | None = None):
    """(msgid, msgstr or [plural forms], fuzzy) for every entry but the header."""
    text = text if text is not None else (LC / "django.po").read_text(encoding="utf-8")
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


@pytest.mark.system  # xgettext (gettext)
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the package finds no string the catalogue lacks.

    Catches a new gettext string that nobody added to django.po: it would
    show in English on a Swedish page.
    """
    copy = tmp_path / "trygg"
    shutil.copytree(LC.parents[2], copy, ignore=shutil.ignore_patterns("vendor", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "sv", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "trygg.settings"},
    )
    fresh = (copy / "locale" / "sv" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [
        m
        for m, s, fuzzy in po_entries(fresh)
        if fuzzy or not all(s if isinstance(s, list) else [s])
    ]
    assert missing == [], "add these to trygg/locale/sv/LC_MESSAGES/django.po"
