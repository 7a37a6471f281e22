# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.helpdesk_ticket import MIN_COST


class HelpdeskTicketSplitWizardLine(models.TransientModel):
    _name = "helpdesk.ticket.split.wizard.line"
    _description = "Priced Ticket to Create from a Request"

    wizard_id = fields.Many2one(
        comodel_name="helpdesk.ticket.split.wizard", required=True, ondelete="cascade"
    )
    name = fields.Char(string="Title", required=True)
    description = fields.Html()
    credit_cost = fields.Integer(
        string="Cost (credits)", required=True, default=MIN_COST
    )

    @api.constrains("credit_cost")
    def _check_credit_cost(self):
        for line in self:
            self.env["helpdesk.ticket"]._check_cost(line.credit_cost)
