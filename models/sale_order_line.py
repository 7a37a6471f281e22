# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    support_credit_line_ids = fields.One2many(
        comodel_name="support.credit.line",
        inverse_name="sale_line_id",
        string="Support credit movements",
        readonly=True,
    )

    def _filter_support_credit_packs(self):
        return self.filtered(
            lambda line: (
                line.product_id.support_credits > 0
                and not line.display_type
                and not line.is_downpayment
            )
        )

    def _get_support_credits_for_qty(self, quantity, uom):
        """Credits that ``quantity`` of this pack in ``uom`` is worth. Packs
        are sold by whole units: a fractional quantity is refused."""
        self.ensure_one()
        units = uom._compute_quantity(quantity, self.product_id.uom_id, round=False)
        if not float_is_zero(units - round(units), precision_digits=6):
            raise UserError(
                self.env._(
                    "Support credit packs are sold by whole units: %(product)s "
                    "has a quantity of %(qty)s %(uom)s on %(order)s.",
                    product=self.product_id.display_name,
                    qty=quantity,
                    uom=uom.name,
                    order=self.order_id.name,
                )
            )
        return int(round(units)) * self.product_id.support_credits

    def _get_support_credits_due(self):
        self.ensure_one()
        return self._get_support_credits_for_qty(
            self.product_uom_qty, self.product_uom_id
        )

    def _get_support_credits_net(self):
        """Credits each line has put in its wallet so far (grants minus
        reversals), for the whole recordset in one query."""
        return dict(
            self.env["support.credit.line"]
            .sudo()
            ._read_group(
                [("sale_line_id", "in", self.ids)], ["sale_line_id"], ["amount:sum"]
            )
        )
