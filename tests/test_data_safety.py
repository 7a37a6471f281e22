# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import sql

from .common import PremiumSupportCase


@tagged("post_install", "-at_install")
class TestDataSafety(PremiumSupportCase):
    """Nothing that the ledger references can be destroyed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._buy(cls.alice.partner_id, cls.pack_10)
        cls.ticket = cls._ticket(cls.alice.partner_id)
        cls._wallet(cls.customer)._spend(2, cls.ticket)

    def _ledger_count(self):
        return self.Line.sudo().search_count([])

    def test_order_with_grants_cannot_be_deleted(self):
        order = self._buy(self.bob.partner_id, self.pack_1)
        order._action_cancel()
        count = self._ledger_count()
        with self.assertRaisesRegex(UserError, "Cancel it instead"):
            order.sudo().unlink()
        self.assertTrue(order.exists())
        self.assertEqual(self._ledger_count(), count)

    def test_ticket_with_spending_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "Archive or close it"):
            self.ticket.unlink()
        self.assertTrue(self.ticket.exists())

    def test_customer_with_wallet_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "Archive the contact"):
            self.customer.unlink()
        self.assertTrue(self.customer.exists())

    def test_uninstall_refused_while_ledger_has_lines(self):
        count = self._ledger_count()
        Module = self.env["ir.module.module"]
        addon = Module.search([("name", "=", "helpdesk_premium_support")])
        # uninstalling a dependency would uninstall this addon too
        helpdesk = Module.search([("name", "=", "helpdesk_mgmt")])
        for module in (addon, helpdesk):
            # the Apps screen: the module's Uninstall opens a dialog, whose
            # Uninstall button is the one an administrator presses
            action = module.button_uninstall_wizard()
            wizard = (
                self.env[action["res_model"]]
                .with_context(**action["context"])
                .create({})
            )
            self.assertEqual(wizard.module_ids, module)
            with self.assertRaisesRegex(UserError, "cannot be uninstalled"):
                wizard.action_uninstall()
            # the step that button runs first, which marks what to remove, and
            # the last line, while the registry reloads
            for step in (module.button_uninstall, module.module_uninstall):
                with self.assertRaisesRegex(UserError, "cannot be uninstalled"):
                    step()
        (addon | helpdesk).invalidate_recordset()
        self.assertEqual(set((addon | helpdesk).mapped("state")), {"installed"})
        self.assertFalse(Module.search_count([("state", "=", "to remove")]))
        self.assertTrue(sql.table_exists(self.env.cr, "support_credit_line"))
        self.assertEqual(self._ledger_count(), count)

    def test_merging_two_wallet_owners_is_refused(self):
        self._buy(self.mallory.partner_id, self.pack_1)
        wizard = self.env["base.partner.merge.automatic.wizard"]
        with self.assertRaisesRegex(UserError, "would lose a credit ledger"):
            wizard._merge([self.customer.id, self.other_customer.id], self.customer)
        self.assertTrue(self.other_customer.exists())
        self.assertEqual(self.other_customer.support_credit_balance, 1)
        self.assertEqual(self.customer.support_credit_balance, 8)

    def test_single_wallet_follows_a_merge(self):
        duplicate = self.env["res.partner"].create(
            {
                "name": "Azure Widgets (dup)",
                "is_company": True,
                "email": "info@azure.test",
            }
        )
        count = self._ledger_count()
        wizard = self.env["base.partner.merge.automatic.wizard"]
        wizard._merge([self.customer.id, duplicate.id], duplicate)
        self.assertFalse(self.customer.exists())
        self.assertEqual(duplicate.support_credit_balance, 8)
        self.assertEqual(self._ledger_count(), count)
        self.assertEqual(
            self.Line.sudo()
            .search([])
            .filtered(lambda line: line.sale_order_id == self.order)
            .partner_id,
            duplicate,
        )

    def _solo_customer_with_credits(self):
        """A customer of their own (no company), who bought 10 credits."""
        solo = self.env["res.partner"].create(
            {"name": "Sam Solo", "email": "sam@solo.test"}
        )
        self._buy(solo, self.pack_10)
        return solo, self._wallet(solo)

    def test_wallet_merged_into_a_contact_follows_its_company(self):
        solo, wallet = self._solo_customer_with_credits()
        contact = self.mallory.partner_id
        wallets = self.Wallet.sudo().search_count([])
        count = self._ledger_count()
        wizard = self.env["base.partner.merge.automatic.wizard"]
        wizard._merge([solo.id, contact.id], contact)
        self.assertFalse(solo.exists())
        # the wallet is Globex's now, visible and spendable by its contacts
        self.assertEqual(wallet.partner_id, self.other_customer)
        self.assertEqual(self.other_customer.support_credit_balance, 10)
        self.assertEqual(contact.support_credit_balance, 10)
        self.assertEqual(set(wallet.line_ids.partner_id), {self.other_customer})
        self.assertFalse(self.Wallet.sudo().search([("partner_id", "=", contact.id)]))
        # nothing lost, nothing doubled
        self.assertEqual(self.Wallet.sudo().search_count([]), wallets)
        self.assertEqual(self._ledger_count(), count)

    def test_merge_into_a_contact_whose_company_has_a_wallet_is_refused(self):
        solo, wallet = self._solo_customer_with_credits()
        self._buy(self.mallory.partner_id, self.pack_1)
        contact = self.mallory.partner_id
        wallets = self.Wallet.sudo().search_count([])
        count = self._ledger_count()
        wizard = self.env["base.partner.merge.automatic.wizard"]
        with self.assertRaisesRegex(UserError, "already has a support credit wallet"):
            wizard._merge([solo.id, contact.id], contact)
        # refused as a whole: both partners and both wallets as they were
        self.assertTrue(solo.exists())
        self.assertTrue(contact.exists())
        self.assertEqual(wallet.partner_id, solo)
        self.assertEqual(solo.support_credit_balance, 10)
        self.assertEqual(self.other_customer.support_credit_balance, 1)
        self.assertEqual(self.Wallet.sudo().search_count([]), wallets)
        self.assertEqual(self._ledger_count(), count)
