# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Premium emails processed at the same moment by two real, committed
transactions (see ``common_intake``)."""

from odoo.tests import tagged

from .common_intake import CUSTOMER_DOMAIN, CommittedIntakeCase

INTAKE_LOGGER = (
    "odoo.addons.helpdesk_premium_support.models.helpdesk_ticket_mail_intake"
)
CLAIM_LOGGER = "odoo.addons.helpdesk_premium_support.models.helpdesk_premium_mail_claim"


@tagged("-standard", "post_install", "-at_install", "concurrency")
class TestIntakeRaces(CommittedIntakeCase):
    def test_same_email_twice_at_once_gives_one_request_and_no_bounce(self):
        # the alias is not yet marked valid: the first request marks it so,
        # and holds its row until it commits
        message_id = self.message_id()
        email = self.email(message_id=message_id)
        with (
            self.bounces_spied() as bounces,
            self.logs_kept(INTAKE_LOGGER) as logs,
        ):
            results, errors, tries = self.race(email, email)

        self.assertEqual(errors, [None, None], logs)
        tickets = self.in_new_cursor(
            lambda env: (
                env["helpdesk.ticket"]
                .search([("premium_message_id", "=", message_id)])
                .ids
            )
        )
        self.assertEqual(len(tickets), 1, f"results: {results}, tries: {tries}")
        self.assertEqual(sorted(results, key=bool), [False, tickets[0]])
        self.assertEqual(bounces, [], "Odoo's error path ran: bounce, alias invalid")
        status = self.in_new_cursor(
            lambda env: env["mail.alias"].browse(self.ids["alias"]).alias_status
        )
        self.assertEqual(status, "valid")
        # the copy met the first one's claim, from a transaction that did not
        # see it yet, and was dropped at routing time (not retried)
        dropped = [
            line
            for line in logs
            if message_id in line and "by a concurrent transaction" in line
        ]
        self.assertEqual(len(dropped), 1, logs)
        self.assertEqual(tries, [1, 1])

    def test_two_refused_emails_of_one_sender_at_once_get_one_answer(self):
        # one mailbox, two tags and two cases: one reply between them
        emails = [
            self.email(email_from=f"someone+a@{CUSTOMER_DOMAIN}", subject="help"),
            self.email(
                email_from=f"Someone <SOMEONE+b@{CUSTOMER_DOMAIN.upper()}>",
                subject="help",
            ),
        ]
        with (
            self.bounces_spied() as bounces,
            self.logs_kept(CLAIM_LOGGER) as logs,
        ):
            results, errors, tries = self.race(*emails)
        self.assertEqual(errors, [None, None])
        self.assertEqual(results, [False, False])
        refusals = self.in_new_cursor(
            lambda env: (
                env["helpdesk.premium.mail.refusal"]
                .search([("email_from", "ilike", "someone")])
                .read(["reason", "reply_state", "reply_email"])
            )
        )
        self.assertEqual(len(refusals), 2)
        self.assertEqual({r["reason"] for r in refusals}, {"sender_unknown"})
        self.assertEqual(
            sorted(r["reply_state"] for r in refusals), ["pending", "throttled"]
        )
        self.assertEqual(bounces, [])
        # the second one met the first one's claim on the mailbox
        contended = [line for line in logs if "reply:someone@" in line]
        self.assertEqual(len(contended), 1, logs)
        self.assertEqual(tries, [1, 1])

    def test_email_delivered_again_after_its_request_was_deleted_is_a_new_request(
        self,
    ):
        # a claim only holds while transactions overlap: one left by an
        # earlier, finished transaction does not drop a later delivery
        message_id = self.message_id()
        email = self.email(message_id=message_id)

        def deliver(env):
            return env["mail.thread"].message_process(None, email)

        first = self.in_new_cursor(deliver)
        self.assertTrue(first)
        self.in_new_cursor(lambda env: env["helpdesk.ticket"].browse(first).unlink())
        second = self.in_new_cursor(deliver)
        self.assertTrue(second)
        self.assertNotEqual(second, first)
        # while it exists, a copy is a duplicate (Odoo's own Message-Id check)
        self.assertFalse(self.in_new_cursor(deliver))
        tickets = self.in_new_cursor(
            lambda env: (
                env["helpdesk.ticket"]
                .search([("premium_message_id", "=", message_id)])
                .ids
            )
        )
        self.assertEqual(tickets, [second])
