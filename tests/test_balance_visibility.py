# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A balance is seen only by the customer's own portal users and by helpdesk
and sales staff: never by another internal user, a follower from another
company, an access-token link, or an email that reaches another company."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import PremiumSupportCase
from .cron import run_cron


class BalanceCase(PremiumSupportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._buy(cls.alice.partner_id, cls.pack_10)
        cls.clerk = cls._user(
            "clerk", "Clara Clerk", "clerk@vendor.test", "base.group_user"
        )
        cls.salesman = cls._user(
            "salesman", "Sam Sales", "sam@vendor.test", "sales_team.group_sale_salesman"
        )
        cls.ticket = cls._ticket(cls.alice.partner_id, credit_cost=3)
        # copied on the customer's email, say: followers with the default subtypes
        cls.ticket.message_subscribe(
            partner_ids=(cls.mallory | cls.clerk).partner_id.ids
        )

    def _balance(self):
        """The customer's balance, as the server knows it."""
        balance = self._wallet(self.customer).balance
        self.assertGreater(balance, 0, "a zero balance would prove nothing")
        return balance


@tagged("post_install", "-at_install")
class TestBalanceVisibility(BalanceCase):
    def test_one_rule_says_who_sees_a_balance(self):
        users = (
            self.alice
            | self.bob
            | self.mallory
            | self.clerk
            | self.agent
            | self.salesman
            | self.manager
            | self.env.ref("base.public_user")
            | self.env.ref("base.user_root")
        )
        seen = {
            user.login: bool(self.alice.partner_id._support_balance_visible_to(user))
            for user in users
        }
        self.assertEqual(
            seen,
            {
                "alice": True,
                "bob": True,
                "mallory": False,
                "clerk": False,
                "agent": True,
                "salesman": True,
                "hd_manager": True,
                "public": False,
                "__system__": True,
            },
        )

    def test_internal_user_outside_helpdesk_and_sales_is_refused_the_balance(self):
        partner = self.alice.partner_id.with_user(self.clerk)
        with self.assertRaises(AccessError):
            partner.read(["support_credit_balance"])
        with self.assertRaises(AccessError):
            partner.mapped("support_credit_balance")
        # the clerk follows the ticket and may read it, but not the balance
        ticket = self.ticket.with_user(self.clerk)
        self.assertEqual(ticket.read(["name"])[0]["name"], self.ticket.name)
        with self.assertRaises(AccessError):
            ticket.read(["support_credit_balance"])

    def test_helpdesk_and_sales_staff_read_the_balance(self):
        balance = self._balance()
        for user in (self.agent, self.salesman, self.manager):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.alice.partner_id.with_user(user).support_credit_balance,
                    balance,
                )
        self.assertEqual(
            self.ticket.with_user(self.agent).support_credit_balance, balance
        )

    def test_follower_of_another_company_sees_no_balance_through_the_ticket(self):
        balance = self._balance()
        self.assertEqual(
            self.ticket.with_user(self.alice).support_credit_balance, balance
        )
        ticket = self.ticket.with_user(self.mallory)
        self.assertEqual(ticket.read(["name"])[0]["name"], self.ticket.name)
        self.assertEqual(ticket.support_credit_balance, 0)
        self.assertEqual(
            ticket.read(["support_credit_balance"])[0]["support_credit_balance"], 0
        )
        self.assertEqual(
            self.customer.with_user(self.mallory).support_credit_balance, 0
        )

    def test_cost_emails_reach_the_customer_alone_and_carry_no_balance(self):
        balance = self._balance()
        self.ticket.with_user(self.agent).action_request_approval()
        self.ticket.with_user(self.agent).credit_cost = 4
        self.ticket.approval_requested_date = fields.Datetime.now() - timedelta(days=4)
        run_cron(self)
        self.ticket.approval_requested_date = fields.Datetime.now() - timedelta(days=15)
        run_cron(self)
        messages = self.ticket.message_ids.filtered(
            lambda m: (m.subject or "").startswith(f"[{self.ticket.number}]")
        )
        self.assertEqual(
            len(messages), 4, "cost sent, changed, reminded, expired: one email each"
        )
        for message in messages:
            with self.subTest(subject=message.subject):
                notified = message.notification_ids.res_partner_id
                self.assertIn(self.alice.partner_id, notified)
                self.assertNotIn(self.mallory.partner_id, notified)
                self.assertNotIn(self.clerk.partner_id, notified)
                mails = (
                    self.env["mail.mail"]
                    .sudo()
                    .search([("mail_message_id", "=", message.id)])
                )
                self.assertNotIn(self.mallory.partner_id, mails.recipient_ids)
                self.assertNotIn(f"{balance} credit(s)", message.body)
                self.assertIn("/my/credits", message.body)


@tagged("post_install", "-at_install")
class TestBalanceOnPortalPages(BalanceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket.with_user(cls.agent).action_request_approval()

    def _page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_the_customer_sees_the_balance_on_the_ticket_page(self):
        self.authenticate("alice", "alice")
        page = self._page(f"/my/ticket/{self.ticket.id}")
        self.assertIn(
            f'<strong class="o_support_balance">{self._balance()}</strong>', page
        )

    def test_follower_of_another_company_sees_no_balance_on_the_ticket_page(self):
        self.authenticate("mallory", "mallory")
        page = self._page(f"/my/ticket/{self.ticket.id}")
        self.assertIn("o_support_cost_panel", page)  # she sees the ticket
        self.assertNotIn("o_support_balance", page)
        self.assertNotIn("credit(s) missing", page)

    def test_access_token_link_shows_no_balance(self):
        self.ticket._portal_ensure_token()
        page = self._page(f"/my/ticket/{self.ticket.id}/{self.ticket.access_token}")
        self.assertIn("o_support_cost_panel", page)  # the link opens the ticket
        self.assertNotIn("o_support_balance", page)
        page = self._page(
            f"/my/ticket/{self.ticket.id}?access_token={self.ticket.access_token}"
        )
        self.assertIn("o_support_cost_panel", page)
        self.assertNotIn("o_support_balance", page)

    def test_internal_user_outside_helpdesk_and_sales_sees_no_balance_in_my_account(
        self,
    ):
        # the clerk's own company gets a wallet, so that there is one to hide
        self._wallet(self.clerk.partner_id)._post(5, "adjustment", "seed")
        self.authenticate("clerk", "clerk")
        home = self._page("/my/home")
        self.assertNotIn("o_support_credit_home_balance", home)
        wallet_page = self._page("/my/credits")
        self.assertNotIn("o_support_credit_balance", wallet_page)
        self.assertNotIn("o_support_credit_line", wallet_page)
