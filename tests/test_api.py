# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's decisions over Odoo's external API (JSON-2): the same checks
as in the portal, and the wallet internals are not callable at all."""

import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PremiumSupportCase


class ExternalApiMixin:
    """Calls to Odoo's JSON-2 API as a given user, with an API key of theirs."""

    def _key(self, user):
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )

    def _call(self, user, model, method, **payload):
        with mute_logger("odoo.http"):
            return self.url_open(
                f"/json/2/{model}/{method}",
                data=json.dumps(payload),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self._key(user)}",
                },
            )


@tagged("post_install", "-at_install")
class TestExternalApi(ExternalApiMixin, PremiumSupportCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._send_cost_to_alice()

    def _assert_unchanged(self):
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.approval_state, "pending")
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_staff_cannot_accept_for_the_customer(self):
        for method in ("action_approve_cost", "action_cancel_cost"):
            response = self._call(
                self.agent,
                "helpdesk.ticket",
                method,
                ids=self.ticket.ids,
                cost_version=1,
            )
            self.assertEqual(response.status_code, 403, response.text)
        self._assert_unchanged()

    def test_context_cannot_unlock_the_acceptance_fields(self):
        response = self._call(
            self.agent,
            "helpdesk.ticket",
            "write",
            ids=self.ticket.ids,
            vals={"approval_state": "approved"},
            context={"support_cost_sending": True},
        )
        self.assertNotEqual(response.status_code, 200, response.text)
        self._assert_unchanged()

    def _assert_private(self, response, model, name):
        """Refused by Odoo as a private method, and for no other reason."""
        self.assertEqual(response.status_code, 403, (name, response.text))
        error = response.json()
        self.assertEqual(error["name"], "odoo.exceptions.AccessError", error)
        self.assertEqual(
            error["message"],
            f"Private methods (such as '{model}.{name}') cannot be called remotely.",
        )

    def test_wallet_internals_are_not_callable(self):
        wallet = self._wallet(self.customer)
        Wallet = type(self.env["support.credit.wallet"])
        Ticket = type(self.env["helpdesk.ticket"])
        cases = (
            (wallet, Wallet._spend, {"amount": 1, "ticket": self.ticket.id}),
            (wallet, Wallet._post, {"amount": 50, "kind": "adjustment"}),
            (wallet, Wallet._post_many, {"movements": []}),
            (
                self.ticket,
                Ticket._send_cost,
                {"template": "mail_template_cost_request"},
            ),
        )
        for records, method, payload in cases:
            # the same user, key and records reach a public method of the model:
            # what refuses below is the method's own (private) name
            public = self._call(
                self.manager, records._name, "read", ids=records.ids, fields=["id"]
            )
            self.assertEqual(public.status_code, 200, public.text)
            self.assertEqual(public.json(), [{"id": records.id}])
            # the name the method is defined under, not one typed here
            name = method.__name__
            response = self._call(
                self.manager, records._name, name, ids=records.ids, **payload
            )
            self._assert_private(response, records._name, name)
        self.assertEqual(self.customer.support_credit_balance, 10)
        self._assert_unchanged()

    def test_staff_can_send_costs_over_the_api(self):
        ticket = self._ticket(self.bob.partner_id, credit_cost=2)
        response = self._call(
            self.agent, "helpdesk.ticket", "action_request_approval", ids=ticket.ids
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(ticket.approval_state, "pending")

    def test_customer_accepts_over_the_api_with_the_same_checks(self):
        stale = self._call(
            self.alice,
            "helpdesk.ticket",
            "action_approve_cost",
            ids=self.ticket.ids,
            cost_version=0,
        )
        self.assertNotEqual(stale.status_code, 200, stale.text)
        self.assertIn("changed to 3 credit(s)", stale.text)
        self._assert_unchanged()
        other = self._call(
            self.mallory,
            "helpdesk.ticket",
            "action_approve_cost",
            ids=self.ticket.ids,
            cost_version=1,
        )
        self.assertNotEqual(other.status_code, 200, other.text)
        self._assert_unchanged()
        response = self._call(
            self.alice,
            "helpdesk.ticket",
            "action_approve_cost",
            ids=self.ticket.ids,
            cost_version=1,
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.approval_state, "approved")
        self.assertEqual(self.customer.support_credit_balance, 7)
