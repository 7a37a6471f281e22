# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PremiumSupportCase


@tagged("post_install", "-at_install")
class TestSaleGrant(PremiumSupportCase):
    def _lines(self, order):
        return self.Line.sudo().search([("sale_order_id", "=", order.id)], order="id")

    def _ticket_spend(self, amount):
        wallet = self._wallet(self.customer)
        return wallet._spend(amount, self._ticket(self.alice.partner_id))

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _refund(self, invoice, quantity=None):
        refund = invoice._reverse_moves()
        if quantity is not None:
            refund.invoice_line_ids.filtered("product_id").quantity = quantity
        refund.action_post()
        return refund

    def test_confirmation_grants_credits_times_quantity(self):
        order = self._order(
            self.alice.partner_id,
            [(self.pack_10, 2), (self.pack_1, 3), (self.service, 1)],
        )
        order.action_confirm()
        lines = self._lines(order)
        self.assertEqual(sorted(lines.mapped("amount")), [3, 20])
        self.assertEqual(set(lines.mapped("kind")), {"purchase"})
        self.assertEqual(
            lines.sale_line_id.product_id.product_tmpl_id, self.pack_10 | self.pack_1
        )
        self.assertEqual(self.customer.support_credit_balance, 23)
        self.assertTrue(all(line.reason.startswith(order.name) for line in lines))

    def test_grant_once_whatever_happens(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        # payment callbacks and retries may run the confirmation hook again
        order._action_confirm()
        order._action_confirm()
        with self.assertRaises(UserError):
            order.action_confirm()
        self.assertEqual(self.customer.support_credit_balance, 10)
        self.assertEqual(len(self._lines(order)), 1)

    def test_cancel_draft_confirm_grants_again_once(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        order._action_cancel()
        self.assertEqual(self.customer.support_credit_balance, 0)
        order.action_draft()
        order.action_confirm()
        order._action_confirm()
        self.assertEqual(self.customer.support_credit_balance, 10)
        self.assertEqual(
            self._lines(order).mapped("kind"), ["purchase", "reversal", "purchase"]
        )

    def test_fractional_quantity_refused(self):
        order = self._order(self.alice.partner_id, [(self.pack_10, 1.5)])
        with self.assertRaisesRegex(UserError, "whole units"):
            order.action_confirm()
        self.assertEqual(self.customer.support_credit_balance, 0)
        self.assertFalse(self._lines(order))

    def test_unit_of_measure_is_honoured(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        dozen.active = True
        order = self._order(self.alice.partner_id, [(self.pack_1, 1)])
        order.order_line.product_uom_id = dozen
        order.action_confirm()
        self.assertEqual(self.customer.support_credit_balance, 12)

    def test_down_payment_grants_nothing(self):
        # even a down payment line that names a pack product and a quantity
        order = self._order(self.alice.partner_id, [(self.service, 1)])
        order.order_line = [
            Command.create(
                {
                    "product_id": self.pack_10.product_variant_id.id,
                    "product_uom_qty": 1,
                    "price_unit": 100,
                    "is_downpayment": True,
                }
            )
        ]
        order.action_confirm()
        self.assertEqual(self.customer.support_credit_balance, 0)
        self.assertFalse(self._lines(order))

    def test_cancel_takes_back_unspent_credits(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        order.action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.customer.support_credit_balance, 0)
        reversal = self._lines(order).filtered(lambda line: line.kind == "reversal")
        self.assertEqual(reversal.amount, -10)

    def test_cancel_refused_when_credits_were_spent(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        self._ticket_spend(4)
        with self.assertRaisesRegex(UserError, "already spent.*manual adjustment"):
            order.action_cancel()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.customer.support_credit_balance, 6)

    def test_cancel_possible_after_manager_adjustment(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        self._ticket_spend(4)
        self.env["support.credit.adjust.wizard"].with_user(self.manager).create(
            {"partner_id": self.customer.id, "amount": 4, "reason": "Write-off"}
        ).action_apply()
        order.action_cancel()
        self.assertEqual(self.customer.support_credit_balance, 0)

    def test_partial_credit_note_takes_back_refunded_units(self):
        order = self._buy(self.alice.partner_id, self.pack_10, 3)
        invoice = self._invoice(order)
        refund = self._refund(invoice, quantity=1)
        self.assertEqual(self.customer.support_credit_balance, 20)
        line = self.Line.sudo().search([("move_id", "=", refund.id)])
        self.assertRecordValues(line, [{"kind": "reversal", "amount": -10}])
        # posting the same credit note again takes nothing more
        refund.button_draft()
        refund.action_post()
        self.assertEqual(self.customer.support_credit_balance, 20)

    def test_full_credit_note_never_takes_more_than_granted(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        invoice = self._invoice(order)
        self._refund(invoice)
        self.assertEqual(self.customer.support_credit_balance, 0)
        self._refund(invoice)
        self.assertEqual(self.customer.support_credit_balance, 0)

    def test_credit_note_refused_when_credits_were_spent(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        invoice = self._invoice(order)
        self._ticket_spend(9)
        refund = invoice._reverse_moves()
        with self.assertRaisesRegex(UserError, "already spent"):
            refund.action_post()
        self.assertEqual(self.customer.support_credit_balance, 1)
