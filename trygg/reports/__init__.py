"""Categories and reports: intake from the web form, JSON API and imports."""
