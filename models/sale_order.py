# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        res = super()._action_confirm()
        self._grant_support_credits()
        return res

    def _action_cancel(self):
        self._reverse_support_credits()
        return super()._action_cancel()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_credits(self):
        if self.order_line._get_support_credits_net():
            raise UserError(
                self.env._(
                    "This order granted support credits: deleting it would "
                    "destroy their ledger lines. Cancel it instead."
                )
            )

    def _grant_support_credits(self):
        """Grant the credits of the pack lines, once per line: a line that
        already put its credits in the wallet (confirmed twice, confirmed
        again after a cancellation that took them back, ...) grants only what
        is missing."""
        # whoever confirmed the order, the grant follows: read the lines and
        # their products without evaluating access rules on each of them
        pack_lines = self.sudo().order_line._filter_support_credit_packs()
        if not pack_lines:
            return
        due = {line: line._get_support_credits_due() for line in pack_lines}
        net = pack_lines._get_support_credits_net()
        movements_by_key = defaultdict(list)
        for line in pack_lines:
            missing = due[line] - net.get(line, 0)
            if missing > 0:
                order = line.order_id
                movements_by_key[(order.partner_id, order.company_id)].append(
                    {
                        "amount": missing,
                        "kind": "purchase",
                        "reason": self.env._(
                            "%(order)s: %(product)s",
                            order=order.name,
                            product=line.product_id.name,
                        ),
                        "sale_line_id": line,
                    }
                )
        self.env["support.credit.wallet"].sudo()._post_for_customers(movements_by_key)

    def _reverse_support_credits(self):
        """Take back the credits the pack lines still hold. Refused as a whole
        when the wallet no longer has them (they were spent)."""
        pack_lines = self.order_line._filter_support_credit_packs()
        net = pack_lines._get_support_credits_net()
        movements_by_key = defaultdict(list)
        for line, amount in net.items():
            if amount > 0:
                order = line.order_id
                movements_by_key[(order.partner_id, order.company_id)].append(
                    {
                        "amount": -amount,
                        "kind": "reversal",
                        "reason": self.env._(
                            "%(order)s cancelled: %(product)s",
                            order=order.name,
                            product=line.product_id.name,
                        ),
                        "sale_line_id": line,
                    }
                )
        self.env["support.credit.wallet"].sudo()._post_for_customers(movements_by_key)
