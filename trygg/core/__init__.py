"""What every app may import and that belongs to none: the input-error types and the
JSON shapes shared by all APIs. Nothing of an app lives here, and this package
imports no app.
"""
