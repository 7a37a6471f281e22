# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

import psycopg2
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import get_public_method
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PremiumSupportCase
from .cron import run_cron


@tagged("post_install", "-at_install")
class TestApproval(PremiumSupportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._buy(cls.alice.partner_id, cls.pack_10)

    def setUp(self):
        super().setUp()
        self.ticket = self._ticket(self.alice.partner_id, credit_cost=3)

    def _send(self, ticket=None, user=None):
        ticket = ticket or self.ticket
        ticket.with_user(user or self.agent).action_request_approval()
        return ticket

    def _spends(self, ticket=None):
        return self.Line.sudo().search(
            [("ticket_id", "=", (ticket or self.ticket).id), ("kind", "=", "spend")]
        )

    def _split_wizard(self, request):
        """The split wizard as staff open it from ``request``."""
        return (
            self.env["helpdesk.ticket.split.wizard"]
            .with_user(self.agent)
            .with_context(active_model="helpdesk.ticket", active_id=request.id)
            .create({})
        )

    def _messages(self, ticket, subject):
        return ticket.message_ids.filtered(lambda m: subject in (m.subject or ""))

    # -- staff side -----------------------------------------------------
    def test_request_sets_pending_and_emails_the_customer(self):
        self._send()
        self.assertEqual(self.ticket.approval_state, "pending")
        self.assertEqual(self.ticket.cost_version, 1)
        message = self._messages(self.ticket, "credit(s) to accept")
        self.assertEqual(len(message), 1)
        self.assertIn(self.alice.partner_id, message.partner_ids)
        self.assertIn("3 credit(s)", message.body)
        self.assertIn(f"/my/ticket/{self.ticket.id}", message.body)
        # posted on the ticket's chatter: the balance stays in the customer's account
        self.assertNotIn("10 credit(s)", message.body)
        self.assertIn("/my/credits", message.body)
        self.assertIn("09:00-18:30", message.body)
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertTrue(mail)
        self.assertIn(self.alice.partner_id, mail.recipient_ids)

    def test_default_cost_is_one_credit(self):
        ticket = self._ticket(self.alice.partner_id)
        self._send(ticket)
        self.assertEqual(ticket.credit_cost, 1)

    def test_ticket_without_customer_cannot_be_sent(self):
        ticket = self._ticket(self.env["res.partner"], credit_cost=2)
        with self.assertRaisesRegex(UserError, "no customer"):
            self._send(ticket)
        self.assertEqual(ticket.approval_state, "none")

    def test_portal_user_cannot_send_a_cost(self):
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.alice).action_request_approval()
        self.assertEqual(self.ticket.approval_state, "none")

    def test_cost_change_while_pending_tells_customer_and_versions(self):
        self._send()
        self.ticket.with_user(self.agent).credit_cost = 5
        self.assertEqual(self.ticket.cost_version, 2)
        self.assertEqual(self.ticket.approval_state, "pending")
        changed = self._messages(self.ticket, "New cost to accept")
        self.assertEqual(len(changed), 1)
        self.assertIn("5 credit(s)", changed.body)
        with self.assertRaisesRegex(UserError, "changed to 5 credit"):
            self.ticket.with_user(self.alice).action_approve_cost(cost_version=1)
        self.assertFalse(self._spends())
        self.ticket.with_user(self.alice).action_approve_cost(cost_version=2)
        self.assertEqual(self._spends().amount, -5)

    def test_acceptance_fields_are_not_writable_by_hand_or_api(self):
        self._send()
        agent_ticket = self.ticket.with_user(self.agent).with_context(
            support_cost_sending=True
        )
        for vals in (
            {"approval_state": "approved"},
            {"cost_version": 7},
            {"approved_by_id": self.alice.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                agent_ticket.write(vals)
        with self.assertRaises(UserError):
            self.env["helpdesk.ticket"].with_user(self.agent).create(
                {
                    "name": "Free premium",
                    "description": "<p>x</p>",
                    "partner_id": self.alice.partner_id.id,
                    "approval_state": "approved",
                    "credit_cost": 1,
                }
            )
        self.assertEqual(self.ticket.approval_state, "pending")
        self.assertEqual(self.ticket.cost_version, 1)

    def test_customer_of_a_sent_cost_cannot_change(self):
        self._send()
        with self.assertRaisesRegex(UserError, "cannot change"):
            self.ticket.with_user(self.agent).partner_id = self.mallory.partner_id
        self.assertEqual(self.ticket.partner_id, self.alice.partner_id)

    # -- customer side --------------------------------------------------
    def test_accept_takes_credits_once_and_makes_premium(self):
        self._send()
        self.ticket.with_user(self.alice).action_approve_cost(cost_version=1)
        self.assertEqual(self.ticket.approval_state, "approved")
        self.assertTrue(self.ticket.is_premium)
        self.assertEqual(self.ticket.priority, "2")
        self.assertEqual(self.ticket.approved_by_id, self.alice)
        self.assertEqual(self.customer.support_credit_balance, 7)
        note = self.ticket.message_ids.filtered(
            lambda m: "accepted the cost of 3 credit(s)" in (m.body or "")
        )
        self.assertEqual(note.author_id, self.alice.partner_id)
        with self.assertRaisesRegex(UserError, "already accepted"):
            self.ticket.with_user(self.bob).action_approve_cost(cost_version=1)
        self.assertEqual(len(self._spends()), 1)
        self.assertEqual(self.customer.support_credit_balance, 7)

    def test_colleague_of_the_same_company_may_accept(self):
        self._send()
        self.ticket.with_user(self.bob).action_approve_cost(cost_version=1)
        self.assertEqual(self.ticket.approval_state, "approved")

    def test_cost_is_locked_after_acceptance(self):
        self._send()
        self.ticket.with_user(self.alice).action_approve_cost(cost_version=1)
        with self.assertRaisesRegex(UserError, "locked"):
            self.ticket.with_user(self.agent).credit_cost = 1
        with self.assertRaisesRegex(UserError, "already accepted"):
            self.ticket.with_user(self.alice).action_cancel_cost(cost_version=1)
        with self.assertRaisesRegex(UserError, "locked"):
            self._send()
        self.assertEqual(self.ticket.credit_cost, 3)
        self.assertEqual(self.customer.support_credit_balance, 7)

    def test_cancel_closes_without_moving_credits(self):
        self._send()
        self.ticket.with_user(self.alice).action_cancel_cost(cost_version=1)
        self.assertEqual(self.ticket.approval_state, "cancelled")
        self.assertEqual(
            self.ticket.stage_id,
            self.env.ref(
                "helpdesk_premium_support.helpdesk_ticket_stage_cost_cancelled"
            ),
        )
        self.assertTrue(self.ticket.closed)
        self.assertEqual(self.customer.support_credit_balance, 10)
        with self.assertRaisesRegex(UserError, "does not wait"):
            self.ticket.with_user(self.alice).action_approve_cost(cost_version=1)
        self.assertFalse(self._spends())

    def test_short_balance_says_what_is_missing_and_moves_nothing(self):
        self.ticket.credit_cost = 12
        self._send()
        with self.assertRaisesRegex(UserError, r"2 credit\(s\) missing.*/shop"):
            self.ticket.with_user(self.alice).action_approve_cost(cost_version=1)
        self.assertEqual(self.ticket.approval_state, "pending")
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_who_may_not_accept(self):
        self._send()
        follower = self.mallory.partner_id
        self.ticket.message_subscribe(partner_ids=follower.ids)
        public = self.env.ref("base.public_user")
        for user in (self.agent, self.manager, self.mallory, public):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.ticket.with_user(user).action_approve_cost(cost_version=1)
                with self.assertRaises(AccessError):
                    self.ticket.with_user(user).action_cancel_cost(cost_version=1)
        # sudo does not make staff the customer either
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.agent).sudo().action_approve_cost(cost_version=1)
        self.assertEqual(self.ticket.approval_state, "pending")
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_customer_actions_are_rpc_callable_but_checked(self):
        self._send()
        self.assertTrue(get_public_method(self.ticket, "action_approve_cost"))
        for name in (
            "_check_customer_decision",
            "_get_cost_decision_refusal",
            "_cancel_pending_cost",
            "_send_cost",
            "_get_support_wallet",
        ):
            # a method of the ticket, refused as private by its own name
            self.assertTrue(callable(getattr(type(self.ticket), name, None)), name)
            with self.assertRaisesRegex(
                AccessError,
                re.escape(f"Private methods (such as 'helpdesk.ticket.{name}')"),
            ):
                get_public_method(self.ticket, name)

    def test_closing_a_pending_ticket_cancels_the_cost(self):
        self._send()
        self.ticket.with_user(self.agent).stage_id = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_done"
        )
        self.assertEqual(self.ticket.approval_state, "cancelled")
        self.assertEqual(self.customer.support_credit_balance, 10)
        self.assertTrue(
            self.ticket.message_ids.filtered(
                lambda m: "the cost is cancelled" in (m.body or "")
            )
        )

    def test_copy_carries_no_cost_state_or_ledger(self):
        self._send()
        self.ticket.with_user(self.alice).action_approve_cost(cost_version=1)
        copy = self.ticket.copy()
        self.assertEqual(
            (copy.approval_state, copy.credit_cost, copy.cost_version), ("none", 0, 0)
        )
        self.assertFalse(copy.support_credit_line_ids)
        self.assertFalse(copy.is_premium)

    def test_premium_tickets_come_first(self):
        basic = self._ticket(self.bob.partner_id, priority="3")
        self._send()
        self.ticket.with_user(self.alice).action_approve_cost(cost_version=1)
        tickets = self.env["helpdesk.ticket"].search(
            [("id", "in", (basic | self.ticket).ids)]
        )
        self.assertEqual(tickets[0], self.ticket)

    def test_the_lists_sort_premium_tickets_first_as_the_model_does(self):
        # the list's sequence handle would sort it by sequence: it repeats the
        # model's order; the kanban has no handle and uses the model's order
        Ticket = self.env["helpdesk.ticket"]
        views = Ticket.get_views([(False, "list"), (False, "kanban")])["views"]
        order = etree.fromstring(views["list"]["arch"]).get("default_order")
        self.assertEqual(order, Ticket._order)
        self.assertIsNone(
            etree.fromstring(views["kanban"]["arch"]).get("default_order")
        )
        self.assertTrue(Ticket._order.startswith("is_premium desc,"))

    def test_a_cost_is_at_least_one_credit_wherever_it_is_set(self):
        minimum = r"A ticket costs at least 1 credit\(s\), not 0\."
        # a cost left unset is sent at the normal cost of a premium request
        ticket = self._send(self._ticket(self.alice.partner_id))
        self.assertEqual(ticket.credit_cost, 1)
        with self.assertRaisesRegex(ValidationError, minimum):
            ticket.with_user(self.agent).credit_cost = 0
        with self.assertRaisesRegex(ValidationError, minimum):
            self._wallet(self.customer)._spend(0, ticket)
        request = self._ticket(self.alice.partner_id, name="Two problems")
        wizard = self._split_wizard(request)
        self.assertEqual(wizard.line_ids.credit_cost, 1)
        with self.assertRaisesRegex(ValidationError, minimum):
            wizard.line_ids.credit_cost = 0
        # the database keeps it even from code that skips the check
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation) as refusal,
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET credit_cost = 0 WHERE id = %s", ticket.ids
            )
        self.assertIn("cost_asked_is_positive", str(refusal.exception))
        ticket.invalidate_recordset()
        self.assertEqual((ticket.credit_cost, ticket.approval_state), (1, "pending"))
        self.assertEqual(self.customer.support_credit_balance, 10)
        self.assertFalse(request.split_ticket_ids)

    # -- splitting ----------------------------------------------------------
    def test_split_request_into_priced_tickets(self):
        request = self._ticket(self.alice.partner_id, name="Two problems")
        wizard = self._split_wizard(request)
        wizard.line_ids = [
            fields.Command.clear(),
            fields.Command.create({"name": "Fix the printer", "credit_cost": 1}),
            fields.Command.create({"name": "Migrate the database", "credit_cost": 4}),
        ]
        wizard.action_split()
        tickets = request.split_ticket_ids
        self.assertEqual(sorted(tickets.mapped("credit_cost")), [1, 4])
        self.assertEqual(set(tickets.mapped("approval_state")), {"pending"})
        self.assertEqual(tickets.partner_id, self.alice.partner_id)
        for ticket in tickets:
            self.assertEqual(len(self._messages(ticket, "credit(s) to accept")), 1)
        self.assertTrue(request.closed)
        note = request.message_ids.filtered(lambda m: "split into" in (m.body or ""))
        for ticket in tickets:
            self.assertIn(ticket.number, note.body)

    # -- reminders ------------------------------------------------------
    def test_reminder_then_expiry(self):
        self._send()
        self.ticket.approval_requested_date = fields.Datetime.now() - timedelta(days=4)
        run_cron(self)
        self.assertTrue(self.ticket.approval_reminded)
        self.assertEqual(len(self._messages(self.ticket, "Reminder")), 1)
        run_cron(self)
        self.assertEqual(len(self._messages(self.ticket, "Reminder")), 1)
        self.ticket.approval_requested_date = fields.Datetime.now() - timedelta(days=15)
        run_cron(self)
        self.assertEqual(self.ticket.approval_state, "cancelled")
        self.assertTrue(self.ticket.closed)
        expired = self._messages(self.ticket, "Request cancelled")
        self.assertEqual(len(expired), 1)
        self.assertIn(self.alice.partner_id, expired.partner_ids)
        self.assertEqual(self.customer.support_credit_balance, 10)
