"""Pure statistics for the situational picture: arrays in, frozen dataclasses out.

Nothing here imports Django or touches I/O; pages, PDF and API call these
functions with counts or coordinates they have already fetched.
"""
