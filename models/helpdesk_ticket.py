# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    support_credit_balance = fields.Integer(
        related="commercial_partner_id.support_credit_balance",
        string="Customer credits",
    )
    support_credit_line_ids = fields.One2many(
        comodel_name="support.credit.line",
        inverse_name="ticket_id",
        string="Credit movements",
        readonly=True,
        copy=False,
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_support_credits(self):
        lines = (
            self.env["support.credit.line"]
            .sudo()
            .search_count([("ticket_id", "in", self.ids)], limit=1)
        )
        if lines:
            raise UserError(
                self.env._(
                    "Credits were spent on this ticket: deleting it would destroy "
                    "their ledger lines. Archive or close it instead."
                )
            )

    def _get_support_wallet(self):
        self.ensure_one()
        return (
            self.env["support.credit.wallet"]
            .sudo()
            ._get_wallets(self.partner_id, self.company_id)
        )
