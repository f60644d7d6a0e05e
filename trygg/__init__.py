"""Trygg: shared reporting and situational picture for local crime prevention."""
