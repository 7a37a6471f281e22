# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def write(self, vals):
        """Confirming, cancelling or resetting an order changes what its pack
        lines entitle the customer to: the wallet follows, whatever the path
        (confirmation hooks run again by payments, retries, cancellation)."""
        res = super().write(vals)
        if "state" in vals:
            self.order_line._sync_support_credits()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_credits(self):
        if self.order_line._get_support_credits_net():
            raise UserError(
                self.env._(
                    "This order granted support credits: deleting it would "
                    "destroy their ledger lines. Cancel it instead."
                )
            )
