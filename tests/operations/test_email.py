"""Email goes out through a real SMTP server on loopback, only after commit, and is retried."""

from __future__ import annotations

import socket
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from trygg.operations.actions import EmailRefused, deliver_email, send_due_email, send_email
from trygg.operations.models import MAX_ATTEMPTS, OutgoingEmail


class Inbox(Message):
    """What the SMTP server received, as email.message.Message objects."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServerMixin:
    """A real SMTP server on loopback for each test; settings point Django at it."""

    def setUp(self) -> None:
        super().setUp()
        self.inbox = Inbox()
        self.port = free_port()
        self.smtp: Controller | None = None
        self.start_mail_server()
        self.addCleanup(self.stop_mail_server)
        # The test runner swaps in the in-memory backend; these tests want the real one.
        mail = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.port,
        )
        mail.enable()
        self.addCleanup(mail.disable)

    def start_mail_server(self) -> None:
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.smtp.start()

    def stop_mail_server(self) -> None:
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None


def queue_one(**overrides) -> OutgoingEmail:
    fields = {
        "kind": "test.notice",
        "to": ["samordnare@kommun.example"],
        "subject": "Nya åtgärder",
        "body": "Ni ansvarar nu för två åtgärder.",
    }
    fields.update(overrides)
    return send_email(**fields)


def run_worker() -> None:
    call_command("worker", batch=True, verbosity=0)


class SendEmailTests(MailServerMixin, TransactionTestCase):
    # A flush that re-creates content types would clash with the serialized data of
    # the suite's other transactional tests; keep the migrated data instead.
    serialized_rollback = True

    def test_the_worker_delivers_a_queued_email_to_the_smtp_server(self):
        email = queue_one()
        run_worker()
        email.refresh_from_db()
        self.assertEqual(email.status, OutgoingEmail.Status.SENT)
        self.assertEqual(email.attempts, 1)
        self.assertEqual(len(self.inbox.messages), 1)
        received = self.inbox.messages[0]
        self.assertEqual(received["To"], "samordnare@kommun.example")
        self.assertEqual(str(make_header(decode_header(received["Subject"]))), "Nya åtgärder")

    def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_one()
            raise RuntimeError("the write failed after the email was queued")
        run_worker()
        self.assertEqual(OutgoingEmail.objects.count(), 0)
        self.assertEqual(DBTaskResult.objects.count(), 0)
        self.assertEqual(self.inbox.messages, [])

    def test_an_unreachable_server_is_retried_later_and_then_delivers(self):
        self.stop_mail_server()
        email = queue_one()
        run_worker()
        email.refresh_from_db()
        self.assertEqual(email.status, OutgoingEmail.Status.QUEUED)
        self.assertEqual(email.attempts, 1)
        self.assertIn("ConnectionRefusedError", email.last_error)
        self.assertGreater(email.next_attempt_at, timezone.now() + timedelta(seconds=30))
        # The retry waits for its time: a worker run now sends nothing.
        self.start_mail_server()
        run_worker()
        self.assertEqual(self.inbox.messages, [])
        # When it is due, the periodic sweep delivers it.
        counts = send_due_email(now=email.next_attempt_at + timedelta(seconds=1))
        self.assertEqual(counts["sent"], 1)
        self.assertEqual(len(self.inbox.messages), 1)

    def test_a_batch_run_gives_the_signal_handlers_back(self):
        # (Here, not in a TestCase: the worker closes its connection when it is done.)
        import signal

        before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        run_worker()
        self.assertEqual({sig: signal.getsignal(sig) for sig in before}, before)


class RetryTests(MailServerMixin, TestCase):
    def test_it_gives_up_after_the_last_attempt(self):
        self.stop_mail_server()
        email = queue_one()
        now = timezone.now()
        for _ in range(MAX_ATTEMPTS):
            email = deliver_email(email_id=email.pk, now=now) or email
            now = email.next_attempt_at + timedelta(seconds=1)
        self.assertEqual(email.status, OutgoingEmail.Status.FAILED)
        self.assertEqual(email.attempts, MAX_ATTEMPTS)
        self.assertIsNone(deliver_email(email_id=email.pk, now=now + timedelta(days=1)))

    def test_the_waits_between_attempts_grow(self):
        self.stop_mail_server()
        email = queue_one()
        now = timezone.now()
        waits = []
        for _ in range(3):
            email = deliver_email(email_id=email.pk, now=now)
            waits.append(email.next_attempt_at - now)
            now = email.next_attempt_at
        self.assertLess(waits[0], waits[1])
        self.assertLess(waits[1], waits[2])

    def test_a_sent_email_is_not_sent_again(self):
        email = queue_one()
        deliver_email(email_id=email.pk)
        self.assertIsNone(deliver_email(email_id=email.pk, now=timezone.now() + timedelta(days=1)))
        self.assertEqual(len(self.inbox.messages), 1)

    def test_it_refuses_an_email_without_recipients_or_with_a_header_break(self):
        with self.assertRaises(EmailRefused):
            queue_one(to=[" "])
        with self.assertRaises(EmailRefused):
            queue_one(subject="Hej\nBcc: alla@example.org")
        self.assertEqual(OutgoingEmail.objects.count(), 0)
