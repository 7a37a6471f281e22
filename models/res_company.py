# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    support_credit_low_threshold = fields.Integer(
        string="Low credit balance threshold",
        default=2,
        help="When a spending brings a wallet below this balance, the customer's "
        "contacts are emailed once with a link to buy more credits.",
    )
    support_cost_reminder_days = fields.Integer(
        string="Remind pending costs after (days)",
        default=3,
        help="The customer is reminded once of a cost still waiting for "
        "acceptance after this many days.",
    )
    support_cost_expiry_days = fields.Integer(
        string="Cancel pending costs after (days)",
        default=14,
        help="A cost still waiting for acceptance after this many days is "
        "cancelled and the request closed.",
    )
