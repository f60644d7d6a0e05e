"""The EST cycle after the picture: meetings, the measures they decide, follow-up and effect.

Models are settled here first; workflows live in actions.py, what each role
may see or change in access.py.
"""
