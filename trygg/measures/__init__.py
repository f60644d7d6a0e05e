"""Measures (åtgärder): what the partnership does about a problem, followed up until done."""
