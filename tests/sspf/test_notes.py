"""The free-text note is short, warned about, and masked like report text."""

import pytest

from tests.sspf.world import SspfTestCase
from trygg.sspf import actions
from trygg.sspf.actions import SspfRefused
from trygg.sspf.models import NOTE_MAX_LENGTH, Note


class NoteTests(SspfTestCase):
    def test_identity_and_phone_numbers_are_masked_on_write(self):
        case = self.running_case()
        note = actions.add_note(by=self.w.maria, case=case,
                                text="Ring mamma 070-123 45 67, pnr 20120304-1234")  # fmt: skip
        assert "070" not in note.text and "1234" not in note.text
        assert "[telefonnummer]" in note.text and "[personnummer]" in note.text

    def test_a_long_narrative_is_refused_with_a_pointer_to_the_journal(self):
        case = self.running_case()
        with pytest.raises(SspfRefused, match="journal"):
            actions.add_note(by=self.w.sofia, case=case, text="x" * (NOTE_MAX_LENGTH + 1))
        assert Note.objects.count() == 0

    def test_plan_text_and_school_unit_are_masked_too(self):
        case = self.running_case(school_unit="Parkskolan, mentor 070-1234567")
        item = actions.add_plan_item(by=self.w.sofia, case=case, goal="Närvaro",
                                     action="Ring 070-1234567", owner_kind="school")  # fmt: skip
        assert "070" not in item.action and "070" not in case.school_unit
