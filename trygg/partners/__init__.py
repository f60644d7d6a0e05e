"""Municipalities, organisations, memberships and roles, API tokens."""
