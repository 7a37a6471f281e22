# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The wallet follows the sale documents: every action that changes what a
pack line entitles the customer to posts the difference, in the wallet that
received the grant, or is refused as a whole. After every test the managers'
reconciliation (run on the whole database by the base class) is empty."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import PremiumSupportCase, check_sale_reconciliation


@tagged("post_install", "-at_install")
class TestSaleEntitlement(PremiumSupportCase):
    def _lines(self, order):
        return self.Line.sudo().search([("sale_order_id", "=", order.id)], order="id")

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _spend(self, amount, partner=None):
        wallet = self._wallet(partner or self.customer)
        return wallet._spend(amount, self._ticket(self.alice.partner_id))

    def _reverse(self, invoice, modify=False):
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "correction"})
        )
        action = wizard.modify_moves() if modify else wizard.refund_moves()
        return wizard.new_move_ids, action

    def test_reversal_goes_to_the_wallet_that_received_the_grant(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        # Alice moves to Globex: her old company keeps the credits it paid for
        self.alice.partner_id.parent_id = self.other_customer
        self._buy(self.mallory.partner_id, self.pack_1)
        order.action_cancel()
        self.assertEqual(self.customer.support_credit_balance, 0)
        self.assertEqual(self.other_customer.support_credit_balance, 1)
        reversal = self._lines(order).filtered(lambda line: line.kind == "reversal")
        self.assertEqual(reversal.wallet_id, self._wallet(self.customer))

    def test_quantity_changes_on_a_confirmed_order_move_the_difference(self):
        order = self._buy(self.alice.partner_id, self.pack_10, 3)
        line = order.order_line
        line.product_uom_qty = 1
        self.assertEqual(self.customer.support_credit_balance, 10)
        line.product_uom_qty = 2
        self.assertEqual(self.customer.support_credit_balance, 20)
        line.product_uom_qty = 0
        self.assertEqual(self.customer.support_credit_balance, 0)
        self.assertEqual(self._lines(order).mapped("amount"), [30, -20, 10, -20])
        self.assertEqual(
            self._lines(order).mapped("kind"),
            ["purchase", "reversal", "purchase", "reversal"],
        )

    def test_lowering_a_quantity_is_refused_when_its_credits_were_spent(self):
        order = self._buy(self.alice.partner_id, self.pack_10, 2)
        self._spend(15)
        with self.assertRaisesRegex(UserError, r"Azure Widgets.*5 were already spent"):
            order.order_line.product_uom_qty = 0
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(self.customer.support_credit_balance, 5)

    def test_a_pack_line_added_to_a_confirmed_order_grants_its_credits(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        order.order_line = [
            Command.create({"product_id": self.pack_1.product_variant_id.id})
        ]
        self.assertEqual(self.customer.support_credit_balance, 11)

    def test_credits_per_unit_are_those_of_the_confirmation(self):
        order = self._buy(self.alice.partner_id, self.pack_10, 2)
        self.assertEqual(order.order_line.support_credits_per_unit, 10)
        self.pack_10.support_credits = 12
        invoice = self._invoice(order)
        refund = invoice._reverse_moves()
        refund.invoice_line_ids.filtered("product_id").quantity = 1
        refund.action_post()
        self.assertEqual(self.customer.support_credit_balance, 10)
        self.pack_10.support_credits = 0  # no longer sold as a pack
        order.action_cancel()
        self.assertEqual(self.customer.support_credit_balance, 0)

    def test_a_credit_note_refunding_a_line_in_several_lines_takes_back_each(self):
        order = self._buy(self.alice.partner_id, self.pack_10, 3)
        invoice = self._invoice(order)
        refund = invoice._reverse_moves()
        line = refund.invoice_line_ids.filtered("product_id")
        line.quantity = 1
        refund.invoice_line_ids = [
            Command.create(
                {
                    "product_id": line.product_id.id,
                    "quantity": 1,
                    "price_unit": line.price_unit,
                    "sale_line_ids": [Command.set(order.order_line.ids)],
                }
            )
        ]
        refund_lines = refund.invoice_line_ids.filtered("product_id")
        self.assertEqual(len(refund_lines), 2)
        for refund_line in refund_lines:
            self.assertEqual(refund_line.sale_line_ids, order.order_line)
        refund.action_post()
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_invoicing_more_than_ordered_grants_the_extra_units(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        invoice = order._create_invoices()
        invoice.invoice_line_ids.filtered("product_id").quantity = 2
        invoice.action_post()
        self.assertEqual(self.customer.support_credit_balance, 20)
        line = self.Line.sudo().search([("move_id", "=", invoice.id)])
        self.assertRecordValues(line, [{"amount": 10, "kind": "purchase"}])

    def test_reverse_and_new_draft_invoice_gives_the_credits_back_on_posting(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        invoice = self._invoice(order)
        new_moves, _action = self._reverse(invoice, modify=True)
        self.assertEqual(new_moves.move_type, "out_invoice")
        self.assertEqual(new_moves.state, "draft")
        self.assertEqual(self.customer.support_credit_balance, 0)
        new_moves.action_post()
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_resetting_a_posted_credit_note_gives_its_credits_back(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        invoice = self._invoice(order)
        refund = invoice._reverse_moves()
        refund.action_post()
        self.assertEqual(self.customer.support_credit_balance, 0)
        refund.button_draft()
        self.assertEqual(self.customer.support_credit_balance, 10)
        refund.button_cancel()
        self.assertEqual(self.customer.support_credit_balance, 10)

    def test_a_refused_credit_note_names_the_customer_and_what_is_missing(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        invoice = self._invoice(order)
        self._spend(7)
        refund = invoice._reverse_moves()
        with self.assertRaisesRegex(
            UserError, r"10 support credits.*Azure Widgets.*only 3.*7 were"
        ):
            refund.action_post()
        self.assertEqual(refund.state, "draft")
        self.assertEqual(self.customer.support_credit_balance, 3)

    def test_an_order_of_a_contact_without_company_has_its_own_wallet(self):
        loner = self.env["res.partner"].create({"name": "Lone Buyer"})
        order = self._buy(loner, self.pack_1, 2)
        self.assertEqual(loner.support_credit_balance, 2)
        self.assertEqual(order.order_line.support_credit_wallet_id, self._wallet(loner))

    def test_reconciliation_lists_a_wallet_that_disagrees_with_its_orders(self):
        order = self._buy(self.alice.partner_id, self.pack_10)
        wallet = self._wallet(self.customer)
        Wallet = self.Wallet.with_user(self.manager)
        self.assertFalse(Wallet.search([("sale_reconciled", "=", False)]))
        self.assertRecordValues(
            wallet.with_user(self.manager),
            [{"sale_reconciled": True, "sale_credits_entitled": 10}],
        )
        # a movement posted for the order line behind the documents' back
        wallet._post(5, "adjustment", "mistake", sale_line_id=order.order_line)
        wallet.invalidate_recordset()
        self.assertEqual(Wallet.search([("sale_reconciled", "=", False)]), wallet)
        self.assertRecordValues(
            wallet.with_user(self.manager),
            [
                {
                    "sale_reconciled": False,
                    "sale_credits_entitled": 10,
                    "sale_credits_posted": 15,
                }
            ],
        )
        self.assertEqual(len(check_sale_reconciliation(self.env)), 1)
        wallet._post(-5, "adjustment", "fix", sale_line_id=order.order_line)
        wallet.invalidate_recordset()
        self.assertFalse(Wallet.search([("sale_reconciled", "=", False)]))

    def test_reconciliation_sees_a_confirmed_pack_line_that_granted_nothing(self):
        order = self._order(self.alice.partner_id, [(self.pack_10, 1)])
        # confirmed without the grant, as an order imported in SQL would be
        self.env.cr.execute(
            "UPDATE sale_order SET state = 'sale' WHERE id = %s", [order.id]
        )
        order.invalidate_recordset(["state"])
        order.order_line.invalidate_recordset()
        problems = self.Wallet._get_sale_discrepancies()
        self.assertEqual(
            [(p["sale_line"], p["entitled"], p["posted"]) for p in problems],
            [(order.order_line, 10, 0)],
        )
        self.env.cr.execute(
            "UPDATE sale_order SET state = 'draft' WHERE id = %s", [order.id]
        )
        order.invalidate_recordset(["state"])

    def test_reconciliation_menu_is_for_helpdesk_managers(self):
        menu = self.env.ref(
            "helpdesk_premium_support.support_credit_wallet_reconciliation_menu"
        )
        self.assertIn(self.manager, menu.group_ids.all_user_ids)
        self.assertNotIn(self.agent, menu.group_ids.all_user_ids)

    def test_order_form_quantity_change_posts_the_difference(self):
        order = self._buy(self.alice.partner_id, self.pack_10, 2)
        with Form(order) as form, form.order_line.edit(0) as line:
            line.product_uom_qty = 1
        self.assertEqual(self.customer.support_credit_balance, 10)
