# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

INVOICE_TYPES = ("out_invoice", "out_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    def write(self, vals):
        """Posting, resetting or cancelling an invoice or a credit note changes
        what the pack lines it invoices or refunds entitle the customer to:
        the wallet follows (see ``sale.order.line._sync_support_credits``)."""
        res = super().write(vals)
        if "state" in vals:
            for move in self.filtered(lambda m: m.move_type in INVOICE_TYPES):
                sale_lines = move.sudo().invoice_line_ids.sale_line_ids
                sale_lines._sync_support_credits(move=move)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_credits(self):
        lines = (
            self.env["support.credit.line"]
            .sudo()
            .search_count([("move_id", "in", self.ids)], limit=1)
        )
        if lines:
            raise UserError(
                self.env._(
                    "This invoice or credit note moved support credits: deleting "
                    "it would destroy their ledger lines."
                )
            )
