# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskSla(models.Model):
    _inherit = "helpdesk.sla"

    premium_response = fields.Boolean(
        readonly=True,
        help="The premium response time of a team: applied when the customer "
        "accepts a cost (not at the ticket's creation), counted from the "
        "acceptance, and met by the first public reply from staff (not by a "
        "stage).",
    )
