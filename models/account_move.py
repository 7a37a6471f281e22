# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda move: move.move_type == "out_refund"
        )._reverse_support_credits()
        return posted

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
                    "This credit note took back support credits: deleting it "
                    "would destroy their ledger lines."
                )
            )

    def _reverse_support_credits(self):
        """Take back the credits of the pack lines these credit notes refund,
        at most what each order line granted, once per credit note even when it
        is posted again. Refused when the wallet no longer holds them."""
        refund_lines = self.invoice_line_ids.filtered(
            lambda aml: aml.sale_line_ids._filter_support_credit_packs()
        )
        if not refund_lines:
            return
        sale_lines = refund_lines.sale_line_ids._filter_support_credit_packs()
        net = sale_lines._get_support_credits_net()
        already = {
            (sale_line, move): amount
            for sale_line, move, amount in self.env["support.credit.line"]
            .sudo()
            ._read_group(
                [("sale_line_id", "in", sale_lines.ids), ("move_id", "in", self.ids)],
                ["sale_line_id", "move_id"],
                ["amount:sum"],
            )
        }
        movements_by_key = defaultdict(list)
        for aml in refund_lines:
            move = aml.move_id
            for sale_line in aml.sale_line_ids._filter_support_credit_packs():
                refunded = sale_line._get_support_credits_for_qty(
                    aml.quantity, aml.product_uom_id
                )
                done = -already.get((sale_line, move), 0)
                available = net.get(sale_line, 0) + done
                amount = min(refunded, available) - done
                if amount <= 0:
                    continue
                net[sale_line] = net.get(sale_line, 0) - amount
                already[(sale_line, move)] = -(done + amount)
                order = sale_line.order_id
                movements_by_key[(order.partner_id, order.company_id)].append(
                    {
                        "amount": -amount,
                        "kind": "reversal",
                        "reason": self.env._(
                            "%(move)s refunds %(order)s: %(product)s",
                            move=move.name,
                            order=order.name,
                            product=sale_line.product_id.name,
                        ),
                        "sale_line_id": sale_line,
                        "move_id": move,
                    }
                )
        self.env["support.credit.wallet"].sudo()._post_for_customers(movements_by_key)
