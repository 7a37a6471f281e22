# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    is_premium = fields.Boolean(
        string="Premium team",
        help="This team's email alias takes premium requests: the sender must "
        "write from the address of their account with their username in the "
        "subject, and staff split each request into tickets with a cost.",
    )
