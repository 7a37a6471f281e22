# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

# Fields of an order line whose change can change what it entitles to.
ENTITLEMENT_FIELDS = {"product_uom_qty", "product_uom_id", "product_id"}


class SaleOrderLine(models.Model):
    """A pack line keeps its wallet in step with the sale documents.

    What the line has put in the ledger always equals its *entitlement*:
    credits per unit (fixed at confirmation) times the units the customer is
    entitled to, see :meth:`_get_support_credits_entitled`. Every sales or
    accounting action that can change that number calls
    :meth:`_sync_support_credits`, the one place that moves credits for sale
    documents."""

    _inherit = "sale.order.line"

    support_credit_line_ids = fields.One2many(
        comodel_name="support.credit.line",
        inverse_name="sale_line_id",
        string="Support credit movements",
        readonly=True,
    )
    support_credits_per_unit = fields.Integer(
        string="Credits per unit",
        readonly=True,
        copy=False,
        help="Support credits one unit of this line grants, as the product had "
        "them when the line was first confirmed. Zero: not granted yet.",
    )
    support_credit_wallet_id = fields.Many2one(
        comodel_name="support.credit.wallet",
        string="Credit wallet",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The wallet that received this line's credits: every later change "
        "of the line's entitlement is posted there, whoever the customer is now.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.state == "sale")._sync_support_credits()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if ENTITLEMENT_FIELDS & set(vals):
            self.filtered(lambda line: line.state == "sale")._sync_support_credits()
        return res

    def _filter_support_credit_packs(self):
        """The lines that sell credits: a credit pack product, or a line that
        already fixed its credits per unit (even if the product changed)."""
        return self.filtered(
            lambda line: (
                not line.display_type
                and not line.is_downpayment
                and (line.support_credits_per_unit or line.product_id.support_credits)
                > 0
            )
        )

    def _get_support_credits_units(self, quantity, uom):
        """Whole pack units that ``quantity`` in ``uom`` is worth. Packs are
        sold by whole units: a fractional quantity is refused."""
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
        return int(round(units))

    def _get_support_credits_entitled(self):
        """Credits this pack line entitles the customer to, from its sale
        documents alone: nothing unless the order is confirmed; else the
        ordered units, or more if more were invoiced, less what posted credit
        notes refunded; times the credits per unit fixed at confirmation."""
        self.ensure_one()
        if self.order_id.state != "sale":
            return 0
        invoiced = refunded = 0
        for aml in self.invoice_lines:
            if aml.parent_state != "posted":
                continue
            units = self._get_support_credits_units(aml.quantity, aml.product_uom_id)
            if aml.move_id.move_type == "out_invoice":
                invoiced += units
            elif aml.move_id.move_type == "out_refund":
                refunded += units
        ordered = self._get_support_credits_units(
            self.product_uom_qty, self.product_uom_id
        )
        units = max(max(ordered, invoiced) - refunded, 0)
        per_unit = self.support_credits_per_unit or self.product_id.support_credits
        return units * per_unit

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

    def _sync_support_credits(self, move=None):
        """Post, for each pack line, the difference between its entitlement
        and what it already put in the ledger, in the wallet that received
        its first grant. The first grant fixes the credits per unit and the
        wallet on the line. Refused as a whole, naming the customer and what
        is missing, when a wallet no longer holds credits to take back.

        ``move``: the invoice or credit note whose posting (or reset) caused
        the change, linked on the ledger lines."""
        # whoever changed the documents, the wallet follows: read the lines
        # and their products without evaluating access rules on each of them
        lines = self.sudo()._filter_support_credit_packs()
        if not lines:
            return
        # a line that never fixed its credits per unit never granted anything:
        # only the others need their ledger read
        net = lines.filtered("support_credits_per_unit")._get_support_credits_net()
        Wallet = self.env["support.credit.wallet"].sudo()
        by_wallet = defaultdict(list)
        first_grants = defaultdict(list)
        for line in lines:
            amount = line._get_support_credits_entitled() - net.get(line, 0)
            if not amount:
                continue
            if line.support_credits_per_unit:
                by_wallet[line.support_credit_wallet_id].append(
                    line._get_support_credit_movement(amount, move)
                )
            else:
                order = line.order_id
                first_grants[(order.partner_id, order.company_id)].append(
                    line._get_support_credit_movement(amount, move)
                )
        for (partner, company), movements in first_grants.items():
            wallet = Wallet._add_to_customer(partner, company, movements)
            granted = lines.browse().concat(
                *(movement["sale_line_id"] for movement in movements)
            )
            for per_unit, same in granted.grouped(
                lambda line: line.product_id.support_credits
            ).items():
                same.write(
                    {
                        "support_credits_per_unit": per_unit,
                        "support_credit_wallet_id": wallet.id,
                    }
                )
        Wallet._post_movements(by_wallet)

    def _get_support_credit_movement(self, amount, move=None):
        """The ledger movement of ``amount`` credits for this line."""
        self.ensure_one()
        order = self.order_id
        product = self.product_id.name
        if move:
            reason = self.env._(
                "%(move)s (%(order)s): %(product)s",
                move=move.name,
                order=order.name,
                product=product,
            )
        elif order.state == "cancel":
            reason = self.env._(
                "%(order)s cancelled: %(product)s", order=order.name, product=product
            )
        else:
            reason = self.env._(
                "%(order)s: %(product)s", order=order.name, product=product
            )
        return {
            "amount": amount,
            "kind": "purchase" if amount > 0 else "reversal",
            "reason": reason,
            "sale_line_id": self,
            "move_id": move or False,
        }
