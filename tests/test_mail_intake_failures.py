# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A premium email whose processing raises is kept, from a cursor of its own,
for staff to retry: fetchmail would roll it back and mark it handled."""

import base64
import threading
from unittest.mock import patch

from odoo.exceptions import ConcurrencyError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_intake import BASIC, CommittedIntakeCase

MAIL_THREAD_LOGGER = "odoo.addons.helpdesk_premium_support.models.mail_thread"


@tagged("-standard", "post_install", "-at_install", "concurrency")
class TestIntakeFailures(CommittedIntakeCase):
    def _broken_attachments(self, error=None):
        """Make the incoming email's post fail, as a broken attachment would,
        after the request was created, the alias marked valid and the
        sender's partner locked: rows the failed transaction holds until it
        is rolled back."""
        partner_id = self.ids["partner"]

        def broken(thread, *args, **kwargs):
            thread.env.cr.execute(
                "SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [partner_id]
            )
            raise error or ValueError("broken attachment: bad base64 padding")

        return patch.object(
            self.registry["helpdesk.ticket"], "_process_attachments_for_post", broken
        )

    def _fetch(self, email, context=None):
        """What fetchmail does with one message: process it on its own cursor,
        roll back when it raises, and go on (the message is marked handled)."""
        errors = []

        def run():
            with self.registry.cursor() as cr:
                env = self._env(cr)(context=context or {})
                try:
                    env["mail.thread"].message_process(None, email)
                except Exception as exc:  # noqa: BLE001 - what fetchmail does
                    errors.append(exc)
                    cr.rollback()

        with mute_logger(MAIL_THREAD_LOGGER):
            self._run_threads([threading.Thread(target=run)])
        return errors

    def _entries(self, message_id):
        return self.in_new_cursor(
            lambda env: (
                env["helpdesk.premium.mail.refusal"]
                .search([("message_id", "=", message_id)])
                .read(
                    [
                        "reason",
                        "state",
                        "reply_state",
                        "error",
                        "email_from",
                        "subject",
                        "team_id",
                        "company_id",
                        "ticket_id",
                    ]
                )
            )
        )

    def _tickets(self, message_id):
        return self.in_new_cursor(
            lambda env: (
                env["helpdesk.ticket"]
                .search([("premium_message_id", "=", message_id)])
                .ids
            )
        )

    def _retry(self, message_id):
        def retry(env):
            entry = env["helpdesk.premium.mail.refusal"].search(
                [("message_id", "=", message_id)]
            )
            return entry.action_retry()

        return self.in_new_cursor(retry)

    def test_failed_premium_email_is_kept_then_retried(self):
        message_id = self.message_id()
        email = self.email(message_id=message_id)
        with self._broken_attachments():
            errors = self._fetch(email)
        self.assertEqual(len(errors), 1)
        self.assertIn("broken attachment", str(errors[0]))
        # rolled back: no request, the alias and the partner untouched
        self.assertEqual(self._tickets(message_id), [])
        status = self.in_new_cursor(
            lambda env: env["mail.alias"].browse(self.ids["alias"]).alias_status
        )
        self.assertEqual(status, "not_tested")
        # but kept, with its error, from a cursor that did not wait on them
        [entry] = self._entries(message_id)
        self.assertEqual(entry["reason"], "failed")
        self.assertEqual(entry["state"], "failed")
        self.assertEqual(entry["reply_state"], "failed")
        self.assertEqual(entry["team_id"][0], self.ids["premium"])
        self.assertTrue(entry["company_id"])
        self.assertIn("ValueError: broken attachment", entry["error"])
        self.assertIn("Traceback", entry["error"])
        self.assertIn("committed-customer", entry["subject"])
        raw = self.in_new_cursor(
            lambda env: (
                env["helpdesk.premium.mail.refusal"]
                .search([("message_id", "=", message_id)])
                .with_context(bin_size=False)
                .raw_message
            )
        )
        self.assertIn(b"Our export is stuck again.", base64.b64decode(raw))

        # delivered again, still broken: kept once
        with self._broken_attachments():
            self._fetch(email)
        self.assertEqual(len(self._entries(message_id)), 1)

        # retried while still broken: the entry keeps the new error
        with self._broken_attachments(ValueError("still broken")):
            action = self._retry(message_id)
        self.assertEqual(action["params"]["type"], "danger")
        [entry] = self._entries(message_id)
        self.assertEqual(entry["state"], "failed")
        self.assertIn("still broken", entry["error"])

        # fixed: the retry makes the request, the entry is processed
        action = self._retry(message_id)
        self.assertEqual(action["params"]["type"], "success")
        [ticket_id] = self._tickets(message_id)
        [entry] = self._entries(message_id)
        self.assertEqual(entry["state"], "done")
        self.assertEqual(entry["ticket_id"][0], ticket_id)
        partner = self.in_new_cursor(
            lambda env: env["helpdesk.ticket"].browse(ticket_id).partner_id.id
        )
        self.assertEqual(partner, self.ids["partner"])

    def test_failure_of_an_email_to_another_alias_is_not_kept(self):
        message_id = self.message_id()
        email = self.email(message_id=message_id, to=BASIC, subject="basic help")
        with self._broken_attachments():
            errors = self._fetch(email)
        self.assertEqual(len(errors), 1)
        self.assertEqual(self._entries(message_id), [])

    def test_concurrency_errors_are_kept_only_where_nobody_retries_them(self):
        # the mailgate script's RPC call retries them; fetchmail does not
        message_id = self.message_id()
        email = self.email(message_id=message_id)
        with self._broken_attachments(ConcurrencyError("row locked elsewhere")):
            self._fetch(email)
        self.assertEqual(self._entries(message_id), [])
        server_id = self.in_new_cursor(
            lambda env: (
                env["fetchmail.server"]
                .create(
                    {"name": "Committed IMAP", "server": "imap.committed-intake.test"}
                )
                .id
            )
        )
        self.addCleanup(
            self.in_new_cursor,
            lambda env: env["fetchmail.server"].browse(server_id).unlink(),
        )
        with self._broken_attachments(ConcurrencyError("row locked elsewhere")):
            self._fetch(email, context={"default_fetchmail_server_id": server_id})
        [entry] = self._entries(message_id)
        self.assertIn("row locked elsewhere", entry["error"])
