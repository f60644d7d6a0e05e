"""Running Trygg: background work (the task worker), outgoing email, backup and restore.

Every later module queues its reminders and digests here instead of inventing
its own mechanism: a task through `django_tasks` (stored in the database, so
the embedded SQLite default needs no broker) and an email through
`actions.send_email`, sent after the writing transaction commits.
"""
