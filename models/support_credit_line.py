# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class SupportCreditLine(models.Model):
    """One movement of a support credit wallet. Append-only: lines are never
    edited nor deleted; a correction is a new line with a reason."""

    _name = "support.credit.line"
    _description = "Support Credit Ledger Line"
    _order = "date desc, id desc"
    _rec_name = "reason"

    wallet_id = fields.Many2one(
        comodel_name="support.credit.wallet",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    # copies of the wallet's, written once at creation for searching and grouping
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Author",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    kind = fields.Selection(
        selection=[
            ("purchase", "Purchase"),
            ("spend", "Spending"),
            ("reversal", "Reversal"),
            ("adjustment", "Manual adjustment"),
        ],
        required=True,
        readonly=True,
    )
    amount = fields.Integer(required=True, readonly=True, aggregator="sum")
    balance_after = fields.Integer(readonly=True, aggregator=False)
    reason = fields.Char(required=True, readonly=True)
    sale_line_id = fields.Many2one(
        comodel_name="sale.order.line",
        string="Order line",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Credit note",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )

    _wallet_date_index = models.Index("(wallet_id, date DESC, id DESC)")
    _amount_not_zero = models.Constraint(
        "CHECK(amount <> 0)", "A credit movement cannot be zero."
    )
    _one_spending_per_ticket = models.UniqueIndex(
        "(ticket_id) WHERE kind = 'spend'",
        "The credits of a ticket are taken once only.",
    )

    def init(self):
        # Append-only in the database too: a line can never be deleted, and an
        # update may only follow a partner merge (partner_id) or bookkeeping.
        self.env.cr.execute(
            """
            CREATE OR REPLACE FUNCTION support_credit_line_append_only()
            RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - 'partner_id' - 'write_date'
                        - 'write_uid') <> (to_jsonb(OLD) - 'partner_id'
                        - 'write_date' - 'write_uid') THEN
                    RAISE EXCEPTION 'support credit ledger lines are append-only'
                        USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN COALESCE(NEW, OLD);
            END $$;
            DROP TRIGGER IF EXISTS support_credit_line_append_only
                ON support_credit_line;
            CREATE TRIGGER support_credit_line_append_only
                BEFORE UPDATE OR DELETE ON support_credit_line
                FOR EACH ROW EXECUTE FUNCTION support_credit_line_append_only();
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Ledger lines are written by the wallet operations only.")
            )
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(
            self.env._(
                "Credit ledger lines cannot be changed. Post a manual adjustment "
                "to correct a balance."
            )
        )

    @api.ondelete(at_uninstall=True)
    def _unlink_except_ledger(self):
        raise UserError(
            self.env._(
                "Credit ledger lines cannot be deleted. Post a manual adjustment "
                "to correct a balance."
            )
        )
