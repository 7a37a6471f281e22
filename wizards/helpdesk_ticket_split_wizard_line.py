# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketSplitWizardLine(models.TransientModel):
    _name = "helpdesk.ticket.split.wizard.line"
    _description = "Priced Ticket to Create from a Request"

    wizard_id = fields.Many2one(
        comodel_name="helpdesk.ticket.split.wizard", required=True, ondelete="cascade"
    )
    name = fields.Char(string="Title", required=True)
    description = fields.Html()
    credit_cost = fields.Integer(string="Cost (credits)", required=True, default=1)

    _cost_positive = models.Constraint(
        "CHECK(credit_cost >= 1)", "Each ticket costs at least one credit."
    )
