"""Usernames that read alike are refused: the audit log names people by them.

A skeleton in the spirit of Unicode TS #39: NFKC (full-width and ligature
forms to plain ones), then the look-alike letters of Cyrillic and Greek and
the classic l/I/1 and O/0 to one Latin letter, then case folding. Two names
with the same skeleton look the same to a reader, so the second is refused;
so is a name that mixes alphabets (Latin and Cyrillic letters in one word),
which has no honest use in a username.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Case matters here (capital I looks like small l), so this runs before casefold.
LOOK_ALIKE = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g",
        "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
        "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "l", "Ї": "l",
        "Ј": "J", "Ӏ": "l",
        # Greek
        "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "l",
        "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
        # Latin and digits
        "I": "l", "1": "l", "|": "l", "0": "O",
    }
)  # fmt: skip
# Pairs of letters that read as one at a glance.
LOOK_ALIKE_PAIRS = (("rn", "m"), ("vv", "w"))


def skeleton(username: str) -> str:
    """What `username` looks like: equal skeletons read the same."""
    text = unicodedata.normalize("NFKC", username).translate(LOOK_ALIKE).casefold()
    for pair, single in LOOK_ALIKE_PAIRS:
        text = text.replace(pair, single)
    return text


def scripts_of(username: str) -> set[str]:
    """The alphabets of the letters in `username` (digits and punctuation belong to none)."""
    found = set()
    for char in unicodedata.normalize("NFKC", username):
        if char.isalpha():
            found.add(unicodedata.name(char, "UNKNOWN").split(" ")[0])
    return found


def check_username(username: str, *, user_pk: Any = None) -> None:
    """ValidationError if `username` mixes alphabets or looks like another user's name.

    `user_pk` is the user being renamed (their own name is no rival). The one
    rule for the admin's forms and every other way a user is made or renamed.
    """
    if len(scripts_of(username)) > 1:
        raise ValidationError(
            _("A username may not mix alphabets, such as Latin and Cyrillic letters."),
            code="mixed_script",
        )
    wanted = skeleton(username)
    others = get_user_model().objects.exclude(pk=user_pk).values_list("username", flat=True)
    for other in others.iterator():
        if skeleton(other) == wanted:
            raise ValidationError(
                _("The username looks like the existing “%(other)s”; choose another."),
                code="confusable",
                params={"other": other},
            )
