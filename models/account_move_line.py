# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMoveLine(models.Model):
    """Invoiced credit packs are deferred revenue when the company says so."""

    _inherit = "account.move.line"

    def _compute_account_id(self):
        """A pack line of a customer invoice or credit note posts to the
        company's deferred support revenue account, when one is set, instead
        of the product's income account. Taxes, analytic distribution and the
        rest of the invoice are computed as usual."""
        res = super()._compute_account_id()
        for line in self._filter_support_deferred():
            line.account_id = line.company_id.support_deferred_account_id
        return res

    def _filter_support_deferred(self):
        """Product lines of customer invoices and credit notes that sell
        support credits, in a company whose credits are deferred revenue."""
        return self.filtered(
            lambda line: (
                line.display_type == "product"
                and line.move_id.move_type in ("out_invoice", "out_refund")
                and line.product_id.support_credits > 0
                and line.company_id.support_deferred_account_id
            )
        )
